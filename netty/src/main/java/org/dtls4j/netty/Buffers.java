package org.dtls4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/** Between Netty's buffers and the {@link ByteBuffer}s dtls4j's sessions take. Stateless. */
final class Buffers {

    private Buffers() {
    }

    /**
     * The readable bytes of {@code buf} as a {@link ByteBuffer} that shares its memory (no copy
     * for the usual one-component buffer), valid until {@code buf} is changed or released.
     */
    static ByteBuffer readable(ByteBuf buf) {
        if (buf.nioBufferCount() == 1) {
            return buf.internalNioBuffer(buf.readerIndex(), buf.readableBytes());
        }
        return buf.nioBuffer(); // several components: merged into one copy
    }

    /** A new buffer from {@code alloc} holding a copy of {@code bytes}' remaining bytes, which it consumes. */
    static ByteBuf copyOf(ByteBufAllocator alloc, ByteBuffer bytes) {
        ByteBuf out = alloc.directBuffer(bytes.remaining());
        out.writeBytes(bytes);
        return out;
    }
}
