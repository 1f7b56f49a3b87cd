package dev.natcheck.linux;

import java.io.IOException;

/**
 * Control data from {@code recvmsg} that cannot be read as the kernel documents it; the message
 * names the field and its offset.
 */
public final class MalformedControlMessageException extends IOException {

    public MalformedControlMessageException(String message) {
        super(message);
    }
}
