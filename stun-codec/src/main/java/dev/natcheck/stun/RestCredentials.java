package dev.natcheck.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials from a secret shared with the server, the "TURN REST API"
 * convention (draft-uberti-behave-turn-rest-00 §2.2) that coturn implements as
 * {@code use-auth-secret}: the username is the expiry time in Unix seconds, ':', and a user id;
 * the password is base64(HMAC-SHA1(secret, username)). The pair is then used as ordinary
 * long-term credentials ({@link LongTermCredentials#answer}); the server refuses it after expiry.
 *
 * @param username "EXPIRY:USER"
 * @param password the base64 HMAC
 */
public record RestCredentials(String username, String password) {

    /** The credentials for {@code user} that {@code sharedSecret} signs, valid until {@code expiry}. */
    public static RestCredentials issue(String sharedSecret, String user, Instant expiry) {
        if (sharedSecret.isEmpty()) {
            throw new IllegalArgumentException("the shared secret is empty");
        }
        String username = expiry.getEpochSecond() + ":" + user;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] hmac = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
            return new RestCredentials(username, Base64.getEncoder().encodeToString(hmac));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "RestCredentials[username=" + username + "]";
    }
}
