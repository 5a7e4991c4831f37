package io.raftkit.transport.netty;

import io.netty.handler.codec.DecoderException;

/** A frame that is valid protobuf but not a valid RaftKit frame; the connection that sent it is closed. */
final class CorruptFrameException extends DecoderException {

    CorruptFrameException(String message) {
        super(message);
    }
}
