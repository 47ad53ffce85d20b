package org.dtls4j.netty;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check can fail: a buffer dropped unreleased is reported, and fails the check. */
class NettyLeaksTest {

    static {
        NettyLeaks.install();
    }

    @Test
    void aBufferDroppedUnreleasedFailsTheCheck() {
        leak();
        try {
            assertThatThrownBy(NettyLeaks::assertNone).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("leaked");
        } finally {
            NettyLeaks.forget();
        }
    }

    private static void leak() {
        ByteBuf lost = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        lost.writeLong(42);
    }
}
