package dev.natcheck.transaction;

import java.util.Objects;

/**
 * A user name and password for long-term credentials (RFC 8489 section 9.2), before any server
 * has challenged them: a {@link Transaction} that carries one answers a 401 with credentials made
 * from it and the server's realm and nonce, and a 438 with the new nonce (see
 * {@link Transaction#answeringChallenges}).
 */
public record LongTermLogin(String username, String password) {

    public LongTermLogin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Never the password: logins end up in logs. */
    @Override
    public String toString() {
        return "LongTermLogin[username=" + username + "]";
    }
}
