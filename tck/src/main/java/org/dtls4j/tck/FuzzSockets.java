package org.dtls4j.tck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@link UdpFuzzer}'s plumbing: the counts of a phase, and the sockets a phase sends from and
 * counts answers on. Not thread-safe: one phase's thread uses them.
 */
final class FuzzSockets {

    private FuzzSockets() {
    }

    /** Counts of one phase. */
    static final class Tally {
        final long start = System.nanoTime();
        long sent;
        long sentBytes;
        long answers;
        long answerBytes;

        void sent(int bytes) {
            sent++;
            sentBytes += bytes;
        }

        void answer(int bytes) {
            answers++;
            answerBytes += bytes;
        }

        UdpFuzzer.Phase phase(String name, long reached, long lost, List<String> notes) {
            return new UdpFuzzer.Phase(name, sent, sentBytes, answers, answerBytes, reached, lost, (System.nanoTime() - start) / 1e9,
                    List.copyOf(notes));
        }
    }

    /** Non-blocking sockets on 127.0.0.1, each sending to the server, answers awaited with a selector. */
    static final class Sockets implements AutoCloseable {
        private final DatagramChannel[] channels;
        private final Selector selector;
        private final InetSocketAddress to;
        private final ByteBuffer in = ByteBuffer.allocate(65536);

        Sockets(int n, InetSocketAddress to) throws IOException {
            this.to = to;
            selector = Selector.open();
            channels = new DatagramChannel[n];
            for (int i = 0; i < n; i++) {
                channels[i] = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                channels[i].configureBlocking(false);
                channels[i].register(selector, SelectionKey.OP_READ, i);
            }
        }

        int send(int socket, byte[] d) throws IOException {
            channels[socket].send(ByteBuffer.wrap(d), to);
            return d.length;
        }

        /** Counts every answer waiting now, then those that come until {@code quiet} passes without one. */
        void drain(Tally t, Duration quiet) throws IOException {
            firstAnswers(t, quiet, true);
        }

        /** The first answer on each socket within {@code within} (null where none came), every answer counted. */
        byte[][] firstAnswers(Tally t, Duration within) throws IOException {
            return firstAnswers(t, within, false);
        }

        private byte[][] firstAnswers(Tally t, Duration wait, boolean untilQuiet) throws IOException {
            byte[][] first = new byte[channels.length][];
            int missing = channels.length;
            long deadline = System.nanoTime() + wait.toNanos();
            for (int i = 0; i < channels.length; i++) {
                missing -= read(i, t, first);
            }
            while ((untilQuiet || missing > 0) && System.nanoTime() - deadline < 0) {
                long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (selector.select(millis) == 0) {
                    continue;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    missing -= read((Integer) key.attachment(), t, first);
                }
                selector.selectedKeys().clear();
                if (untilQuiet) {
                    deadline = System.nanoTime() + wait.toNanos();
                }
            }
            return first;
        }

        /** Reads what socket {@code i} holds; returns 1 if that gave it its first answer. */
        private int read(int i, Tally t, byte[][] first) throws IOException {
            int firsts = 0;
            in.clear();
            while (channels[i].receive(in) != null) {
                t.answer(in.position());
                if (first[i] == null) {
                    first[i] = Arrays.copyOf(in.array(), in.position());
                    firsts = 1;
                }
                in.clear();
            }
            return firsts;
        }

        @Override
        public void close() throws IOException {
            for (DatagramChannel c : channels) {
                c.close();
            }
            selector.close();
        }
    }
}
