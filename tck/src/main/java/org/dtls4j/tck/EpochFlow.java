package org.dtls4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dtls4j.tck.net.Side;
import org.dtls4j.tck.net.WireEvent;

/**
 * Tagged records flowing both ways through a {@link SessionPair} while DTLS 1.3 epochs change,
 * read off the wire from the unified header's two epoch bits (RFC 9147 section 4): what
 * {@code KeyUpdateContract} drives. Each record carries a unique tag; every tag must arrive
 * once. Used by one test thread; not thread-safe.
 */
final class EpochFlow {

    /** Application records are this long, so that their datagrams stand out from ACKs and KeyUpdates. */
    static final int RECORD = 120;
    /** Records held back across an epoch change, then delivered after the new epoch's. */
    static final int HELD = 3;
    private static final int MAX_ROUNDS = 20_000;

    private final SessionPair pair;
    private final Map<Side, Set<Integer>> expected = Map.of(Side.CLIENT, new HashSet<>(), Side.SERVER, new HashSet<>());
    private final Map<Side, Set<Integer>> delivered = Map.of(Side.CLIENT, new HashSet<>(), Side.SERVER, new HashSet<>());
    private int nextTag = 1;

    EpochFlow(SessionPair pair) {
        this.pair = pair;
    }

    /** Sends {@code n} records each way and waits until every record sent so far has arrived. */
    void exchange(int n) {
        for (int i = 0; i < n; i++) {
            send(Side.CLIENT);
            send(Side.SERVER);
        }
        awaitAllDelivered("records exchanged");
    }

    /**
     * {@code initiator} asks for a key update and sends {@link #HELD} records right after its
     * KeyUpdate, still in the old epoch, which the link holds back; records keep flowing
     * both ways until both sides send in the next epoch and a record of the new epoch has
     * arrived; then the held ones are delivered, late, and must be taken.
     */
    void updateKeysWhileRecordsCrossTheChange(Side initiator) {
        updateKeys(initiator, false);
    }

    /**
     * {@code initiator} asks for a key update whose KeyUpdate datagram the link loses: only the
     * session's timer after the handshake ({@code nextTimeout()}) can resend it. Records flow
     * both ways until both sides send in the next epoch.
     */
    void updateKeysLosingTheKeyUpdate(Side initiator) {
        updateKeys(initiator, true);
    }

    private void updateKeys(Side initiator, boolean loseKeyUpdate) {
        int before = lastRecordEpochBits(initiator);
        assertEquals(before, lastRecordEpochBits(initiator.peer()), "both sides send in the same epoch before the update");
        int next = (before + 1) & 3;
        int toHold = loseKeyUpdate ? 0 : HELD;
        List<byte[]> held = new ArrayList<>();
        List<byte[]> lost = new ArrayList<>();
        SessionPair.End end = end(initiator);
        List<Integer> heldTags = new ArrayList<>();
        end.onLoop(() -> {
            // Set on the loop, so that the first datagram the initiator emits next is the KeyUpdate.
            pair.link().filter((from, bytes) -> {
                if (from != initiator) {
                    return false;
                }
                if (loseKeyUpdate && lost.isEmpty()) {
                    lost.add(bytes);
                    return true;
                }
                boolean hold = isRecord(bytes) && epochBits(bytes) == before && held.size() < toHold;
                if (hold) {
                    held.add(bytes.clone());
                }
                return hold;
            });
            end.session().updateKeys();
            for (int i = 0; i < toHold; i++) { // in the same loop task: surely before the peer's ACK
                heldTags.add(sendNow(initiator));
            }
            return null;
        });
        // Bounded in rounds and in time: a lost KeyUpdate comes back only when the initiator's
        // timer fires, however fast the rounds go.
        long deadline = System.nanoTime() + Tck.EVENT.toNanos();
        for (int round = 0; round < MAX_ROUNDS && System.nanoTime() - deadline < 0
                && !(lastRecordEpochBits(Side.CLIENT) == next && lastRecordEpochBits(Side.SERVER) == next); round++) {
            send(Side.CLIENT);
            send(Side.SERVER);
            awaitDeliveredExcept(heldTags, "records during the key update of " + initiator);
        }
        pair.link().filter((from, bytes) -> false);
        assertEquals(next, lastRecordEpochBits(initiator), initiator + " sends in the next epoch after its key update"
                + " (update_requested; RFC 9147 section 8)\n" + pair.describe());
        assertEquals(next, lastRecordEpochBits(initiator.peer()), initiator.peer() + " answers update_requested with"
                + " a KeyUpdate of its own and sends in the next epoch too\n" + pair.describe());
        assertEquals(toHold, held.size(), "the link held " + initiator + "'s records of the old epoch");
        assertEquals(loseKeyUpdate ? 1 : 0, lost.size(), "the link lost " + initiator + "'s KeyUpdate");
        for (byte[] datagram : held) {
            pair.link().inject(initiator.peer(), datagram);
        }
        awaitAllDelivered("records of the old epoch delivered after the new epoch's");
    }

    /** Every record sent arrived, none twice (checked as they arrive). */
    void assertAllDelivered() {
        for (Side to : Side.values()) {
            assertEquals(expected.get(to), delivered.get(to), "every record sent to " + to + " arrives once");
        }
    }

    private void send(Side from) {
        end(from).onLoop(() -> sendNow(from));
    }

    private int sendNow(Side from) {
        int tag = nextTag++;
        byte[] record = Tck.payload(RECORD, 0);
        ByteBuffer.wrap(record).putInt(tag);
        end(from).session().send(ByteBuffer.wrap(record));
        expected.get(from.peer()).add(tag);
        return tag;
    }

    private void awaitAllDelivered(String what) {
        awaitDeliveredExcept(List.of(), what);
    }

    private void awaitDeliveredExcept(List<Integer> notYet, String what) {
        for (Side to : Side.values()) {
            Set<Integer> want = new HashSet<>(expected.get(to));
            want.removeAll(notYet);
            Set<Integer> got = delivered.get(to);
            while (!got.containsAll(want)) {
                byte[] r = Await.next(end(to).records(), Tck.EVENT,
                        () -> what + ": " + to + " still waits for " + missing(want, got) + "\n" + pair.describe());
                int tag = ByteBuffer.wrap(r).getInt();
                assertTrue(got.add(tag), "record " + tag + " was delivered to " + to + " twice");
            }
        }
    }

    private static Set<Integer> missing(Set<Integer> want, Set<Integer> got) {
        Set<Integer> m = new HashSet<>(want);
        m.removeAll(got);
        return m;
    }

    /** The epoch bits of the last application record {@code side} sent, or -1 if none yet. */
    private int lastRecordEpochBits(Side side) {
        List<WireEvent> wire = pair.link().wire();
        for (int i = wire.size() - 1; i >= 0; i--) {
            WireEvent e = wire.get(i);
            if (e.from() == side && isRecord(e.bytes())) {
                return epochBits(e.bytes());
            }
        }
        return -1;
    }

    /** An application record of ours: a DTLS 1.3 unified header (001xxxxx), and long enough. */
    private static boolean isRecord(byte[] datagram) {
        return datagram.length >= RECORD && (datagram[0] & 0xe0) == 0x20;
    }

    private static int epochBits(byte[] datagram) {
        return datagram[0] & 0x03;
    }

    private SessionPair.End end(Side side) {
        return side == Side.CLIENT ? pair.client() : pair.server();
    }
}
