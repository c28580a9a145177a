package io.loyalflow.platform.security;

import io.loyalflow.platform.engine.IdentityChanges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Remembers successful password checks for a few seconds ({@code loyalflow.security.authentication-cache},
 * default PT10S; PT0S turns it off). Every API request authenticates with HTTP Basic, and the identity
 * service's password check and group query were a quarter of a cart update's CPU time: shops send one
 * update per click.
 *
 * <p>What keeps it safe: only successes are remembered, so a wrong password always reaches the identity
 * service (and Camunda's failed-attempt throttling); the key is the user id with an HMAC of the password
 * under a key made at start, so the memory holds no password and no hash an attacker could test offline;
 * an entry is valid only while no user, group or membership change has committed on this node since it
 * was made ({@link IdentityChanges}), so a changed password, a removed membership or a deleted user takes
 * effect here at once. On other nodes of a cluster such a change takes effect within the time-to-live.
 */
@Component
class AuthenticationCache {

    /** Beyond this many users the cache starts afresh: it is meant for a handful of service accounts. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(List<SimpleGrantedAuthority> authorities, long generation, long expiresAtNanos) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long timeToLiveNanos;
    private final LongSupplier nanoTime;
    private final SecretKeySpec key;
    private final Counter hits;
    private final Counter misses;

    @Autowired
    AuthenticationCache(
            @Value("${loyalflow.security.authentication-cache:PT10S}") Duration timeToLive, MeterRegistry meters) {
        this(timeToLive, System::nanoTime, meters);
    }

    AuthenticationCache(Duration timeToLive, LongSupplier nanoTime, MeterRegistry meters) {
        if (timeToLive.isNegative() || timeToLive.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(
                    "loyalflow.security.authentication-cache must be from PT0S (off) to PT5M, got " + timeToLive);
        }
        this.timeToLiveNanos = timeToLive.toNanos();
        this.nanoTime = nanoTime;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.hits = Counter.builder("loyalflow.security.authentication.cache")
                .tag("result", "hit")
                .register(meters);
        this.misses = Counter.builder("loyalflow.security.authentication.cache")
                .tag("result", "miss")
                .register(meters);
    }

    boolean enabled() {
        return timeToLiveNanos > 0;
    }

    /** The identity-change generation to hand to {@link #remember} after a check that starts now. */
    long generation() {
        return IdentityChanges.generation();
    }

    /** The user's authorities if this user id and password were checked successfully within the time-to-live. */
    Optional<List<SimpleGrantedAuthority>> recall(String userId, String password) {
        if (!enabled()) {
            return Optional.empty();
        }
        String cacheKey = cacheKey(userId, password);
        Entry entry = entries.get(cacheKey);
        if (entry == null
                || entry.generation() != IdentityChanges.generation()
                || nanoTime.getAsLong() - entry.expiresAtNanos() > 0) {
            if (entry != null) {
                entries.remove(cacheKey, entry);
            }
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(entry.authorities());
    }

    /** Remembers a successful check that began at {@code generation}. */
    void remember(String userId, String password, List<SimpleGrantedAuthority> authorities, long generation) {
        if (!enabled() || generation != IdentityChanges.generation()) {
            return; // an identity change committed during the check: its outcome may be stale
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(
                cacheKey(userId, password),
                new Entry(List.copyOf(authorities), generation, nanoTime.getAsLong() + timeToLiveNanos));
    }

    private String cacheKey(String userId, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] user = userId.getBytes(StandardCharsets.UTF_8);
            mac.update(user);
            mac.update((byte) 0);
            byte[] digest = mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
            String result = userId + '\u0000' + Base64.getEncoder().encodeToString(digest);
            Arrays.fill(digest, (byte) 0);
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
