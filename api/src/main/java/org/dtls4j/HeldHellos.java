package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.dtls4j.spi.ClientHelloReassembly;
import org.dtls4j.spi.DtlsRecordCursor;
import org.dtls4j.spi.DtlsRecords;

/**
 * The fragments of cookie-less DTLS 1.3 ClientHellos, held by the listener until each is
 * whole, so that the backend can answer it with a HelloRetryRequest.
 *
 * <p>A DTLS 1.3 server rebuilds its transcript from the cookie, which carries the hash of the
 * whole first ClientHello (RFC 8446 section 4.4.1), so a backend cannot answer a first
 * fragment alone; and first ClientHellos now arrive fragmented (post-quantum key shares make
 * them larger than a 1,400-byte datagram). DTLS 1.2 needs none of this: its cookie binds only
 * fields of the first fragment.
 *
 * <p>This is state for a client before its cookie verifies, so it is the listener's, never a
 * provider's, and bounded: at most {@link #MAX_CLIENTS} clients, one message each (at most
 * {@link ClientHelloReassembly#MAX_MESSAGE_LENGTH} bytes, so 2 MiB in all), each held at most
 * {@link #MAX_AGE_NANOS}; a new client evicts the oldest. The fragments of one flight come
 * back to back, so a flood must outpace them by {@value #MAX_CLIENTS} datagrams to evict a
 * real client, who then retransmits its flight.
 *
 * <p>Not thread-safe: owned by one receive loop.
 */
final class HeldHellos {

    static final int MAX_CLIENTS = 128;
    static final long MAX_AGE_NANOS = 2_000_000_000L;

    private final LongSupplier clock;
    private final DtlsRecordCursor framing = new DtlsRecordCursor();
    private final LinkedHashMap<InetSocketAddress, Held> held = new LinkedHashMap<>();
    private long evicted;

    /** One client's ClientHello being collected, and the bytes its fragments came in. */
    private static final class Held {
        final ClientHelloReassembly hello;
        final long since;
        int received;

        Held(ClientHelloReassembly hello, long since) {
            this.hello = hello;
            this.since = since;
        }
    }

    HeldHellos(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /**
     * Starts holding the ClientHello whose first fragment starts {@code datagram} (not
     * consumed), from {@code from}, replacing what was held for that address.
     *
     * @return whether it is held (false if the datagram starts no ClientHello)
     */
    boolean start(InetSocketAddress from, ByteBuffer datagram) {
        if (!wellFramed(datagram)) {
            return false;
        }
        ClientHelloReassembly r = ClientHelloReassembly.startAny(datagram).orElse(null);
        if (r == null) {
            return false;
        }
        long now = clock.getAsLong();
        expire(now);
        held.remove(from);
        if (held.size() >= MAX_CLIENTS) {
            Iterator<Map.Entry<InetSocketAddress, Held>> oldest = held.entrySet().iterator();
            oldest.next();
            oldest.remove();
            evicted++;
        }
        Held h = new Held(r, now);
        held.put(from, h);
        add(h, datagram);
        return true;
    }

    /**
     * Adds the fragments {@code datagram} holds (not consumed) to what is held for
     * {@code from}, and hands over the whole ClientHello once they cover it.
     *
     * @return empty if nothing is held for {@code from} or the message is not whole yet; else
     *         the whole ClientHello as one record, and the bytes it came in
     */
    Optional<Whole> add(InetSocketAddress from, ByteBuffer datagram) {
        expire(clock.getAsLong());
        Held h = held.get(from);
        if (h == null || !wellFramed(datagram) || !add(h, datagram)) {
            return Optional.empty();
        }
        if (!h.hello.isComplete()) {
            return Optional.empty();
        }
        held.remove(from);
        return Optional.of(new Whole(h.hello.record(), h.received));
    }

    /** Whether anything is held for {@code from}. */
    boolean holds(InetSocketAddress from) {
        return held.containsKey(from);
    }

    /** Clients held now. */
    int size() {
        return held.size();
    }

    /** Clients evicted by newer ones so far. */
    long evicted() {
        return evicted;
    }

    /** Whether every record of {@code datagram} is framed right, an epoch-0 handshake record at most. */
    private boolean wellFramed(ByteBuffer datagram) {
        return framing.reset(datagram).count(DtlsRecords.HANDSHAKE, 0) > 0;
    }

    private static boolean add(Held h, ByteBuffer datagram) {
        if (!h.hello.add(datagram)) {
            return false;
        }
        h.received += datagram.remaining();
        return true;
    }

    private void expire(long now) {
        for (Iterator<Held> i = held.values().iterator(); i.hasNext(); ) {
            if (now - i.next().since < MAX_AGE_NANOS) {
                return; // in order of arrival: the rest are younger
            }
            i.remove();
        }
    }

    /** A whole ClientHello as one record, and how many bytes its fragments came in. */
    record Whole(ByteBuffer record, int received) {
    }
}
