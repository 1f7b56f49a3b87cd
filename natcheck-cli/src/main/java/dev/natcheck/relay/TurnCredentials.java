package dev.natcheck.relay;

import dev.natcheck.stun.RestCredentials;
import dev.natcheck.transaction.LongTermLogin;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What natcheck answers a relay's 401 with: a user's long-term name and password (RFC 8489
 * section 9.2), or a secret shared with the server from which time-limited credentials are made
 * (the TURN REST API convention, coturn's {@code use-auth-secret}; {@link RestCredentials}).
 * Never shows a password or a secret.
 */
public sealed interface TurnCredentials {

    /** How long REST credentials made for a run stay valid: long enough for any run, short enough to be worthless later. */
    Duration REST_VALIDITY = Duration.ofHours(1);

    /** The user id REST credentials carry when none is given. */
    String DEFAULT_REST_USER = "natcheck";

    /** The name and password the engine answers challenges with, made at {@code now}. */
    LongTermLogin login(Instant now);

    /** "user alice", "shared secret, user natcheck": for the report. */
    String describe();

    /** A long-term user and password. */
    record LongTerm(String username, String password) implements TurnCredentials {
        public LongTerm {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public LongTermLogin login(Instant now) {
            return new LongTermLogin(username, password);
        }

        @Override
        public String describe() {
            return "user " + username;
        }

        @Override
        public String toString() {
            return "LongTerm[username=" + username + "]";
        }
    }

    /** A secret shared with the server: credentials for {@code user} valid {@link #REST_VALIDITY} from the run. */
    record SharedSecret(String secret, String user) implements TurnCredentials {
        public SharedSecret {
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(user, "user");
        }

        @Override
        public LongTermLogin login(Instant now) {
            RestCredentials rest = RestCredentials.issue(secret, user, now.plus(REST_VALIDITY));
            return new LongTermLogin(rest.username(), rest.password());
        }

        @Override
        public String describe() {
            return "shared secret (TURN REST API), user " + user;
        }

        @Override
        public String toString() {
            return "SharedSecret[user=" + user + "]";
        }
    }
}
