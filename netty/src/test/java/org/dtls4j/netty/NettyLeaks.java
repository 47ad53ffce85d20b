package org.dtls4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, made to tell the tests: every leak it reports is kept here, and
 * {@link #assertNone} fails a test on any. Installed before Netty's buffer classes load (each
 * test class touches {@link #install} in its static initialiser); the level is PARANOID
 * (surefire's argLine), so every buffer is tracked.
 */
final class NettyLeaks {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                       long maxActive) {
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    private NettyLeaks() {
    }

    /** Installs the recording detector; call before anything allocates a Netty buffer. */
    static void install() {
        // the static initialiser does it
    }

    /**
     * Fails if the detector has reported a leak. Collects garbage first and allocates (the
     * detector reports when a tracked buffer is next allocated after a collection found a
     * leaked one), so that a buffer lost during the test is reported before the check.
     */
    static void assertNone() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            System.runFinalization();
            for (int j = 0; j < 64; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
        if (!LEAKS.isEmpty()) {
            throw new AssertionError("Netty's leak detector reported " + LEAKS.size() + " leaked buffer(s):\n"
                    + String.join("\n", LEAKS));
        }
    }

    /** Forgets the leaks reported so far (for the test that leaks on purpose). */
    static void forget() {
        LEAKS.clear();
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leaked:" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leaked (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
