package dev.vigil.console;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.meta.AuditEntry;
import dev.vigil.meta.ConsoleAccounts;
import dev.vigil.meta.ConsoleSession;
import dev.vigil.meta.ConsoleUser;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Tenant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Logins, sessions and who may see which tenant.
 *
 * <p><b>Sessions.</b> A session id is 256 random bits, Base64url in the cookie; the metadata store keeps only its
 * SHA-256, so reading the database does not yield usable cookies. A session ends after {@link #IDLE_TIMEOUT} without a
 * request or {@link #ABSOLUTE_TIMEOUT} after login, whichever comes first; activity is written at most once a minute so
 * that browsing does not mean a database write per request. Each session has its own CSRF token (128 random bits),
 * which every state-changing request must echo.
 *
 * <p><b>Logins.</b> Unknown users cost one Argon2 verification like known ones. Failures and throttled attempts are
 * audited with the client address; a {@link LoginThrottle} is consulted for the user name and another for the address.
 */
public final class ConsoleAuth {
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration ABSOLUTE_TIMEOUT = Duration.ofHours(12);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** A user signed in through a valid session, with the tenants the user may see, sorted. */
    public record SignedIn(ConsoleUser user, ConsoleSession session, Set<TenantId> tenants) {
        public SignedIn {
            requireNonNull(user, "user");
            requireNonNull(session, "session");
            tenants = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(tenants));
        }

        public boolean maySee(TenantId tenant) {
            return tenants.contains(tenant);
        }
    }

    /** The outcome of a login attempt. */
    public sealed interface LoginResult {
        /** {@code cookieValue} goes into the session cookie; it is never stored. */
        record Success(String cookieValue, SignedIn signedIn) implements LoginResult {}

        record WrongCredentials() implements LoginResult {}

        record Throttled(Duration retryAfter) implements LoginResult {}
    }

    private final MetadataStore meta;
    private final ConsoleAccounts accounts;
    private final Passwords passwords;
    private final Clock clock;
    private final LoginThrottle userThrottle = new LoginThrottle(LoginThrottle.FREE_FAILURES);
    private final LoginThrottle clientThrottle = new LoginThrottle(LoginThrottle.FREE_FAILURES_PER_CLIENT);
    private final SecureRandom random = new SecureRandom();

    public ConsoleAuth(MetadataStore meta, Passwords passwords, Clock clock) {
        this.meta = requireNonNull(meta, "meta");
        this.accounts = new ConsoleAccounts(meta);
        this.passwords = requireNonNull(passwords, "passwords");
        this.clock = requireNonNull(clock, "clock");
    }

    public ConsoleAccounts accounts() {
        return accounts;
    }

    public Passwords passwords() {
        return passwords;
    }

    public LoginResult login(String userName, String password, String client) {
        requireNonNull(client, "client");
        String name = userName == null ? "" : userName.strip();
        Instant now = clock.instant();
        String userKey = "user:" + name.toLowerCase(java.util.Locale.ROOT);
        String clientKey = "client:" + client;
        Duration wait = max(userThrottle.lockRemaining(userKey, now), clientThrottle.lockRemaining(clientKey, now));
        if (!wait.isZero()) {
            audit(name, null, "login.throttled", name, "retry after " + wait.toSeconds() + " s", client);
            return new LoginResult.Throttled(wait);
        }
        Optional<String> hash = accounts.passwordHash(name);
        boolean ok;
        if (hash.isPresent()) {
            ok = passwords.verify(password, hash.get());
        } else {
            passwords.verifyNothing(password);
            ok = false;
        }
        if (!ok) {
            Duration lock = max(userThrottle.failure(userKey, now), clientThrottle.failure(clientKey, now));
            audit(
                    ConsoleAccounts.isValidUserName(name) ? name : "?",
                    null,
                    "login.failure",
                    name.length() > 64 ? name.substring(0, 64) : name,
                    lock.isZero() ? "" : "locked for " + lock.toSeconds() + " s",
                    client);
            return new LoginResult.WrongCredentials();
        }
        userThrottle.success(userKey);
        ConsoleUser user = accounts.user(name).orElseThrow();
        byte[] id = new byte[32];
        random.nextBytes(id);
        String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        byte[] csrf = new byte[16];
        random.nextBytes(csrf);
        ConsoleSession session =
                new ConsoleSession(sha256(cookie), user.name(), HexFormat.of().formatHex(csrf), now, now, client);
        accounts.createSession(session);
        accounts.deleteExpiredSessions(now.minus(IDLE_TIMEOUT), now.minus(ABSOLUTE_TIMEOUT));
        audit(user.name(), null, "login.success", user.name(), "", client);
        return new LoginResult.Success(cookie, new SignedIn(user, session, visibleTenants(user)));
    }

    /** The signed-in user behind a cookie value; empty when it is missing, unknown, expired or the user disabled. */
    public Optional<SignedIn> resolve(String cookieValue) {
        if (cookieValue == null || cookieValue.length() != 43) {
            return Optional.empty();
        }
        String digest = sha256(cookieValue);
        Optional<ConsoleSession> found = accounts.session(digest);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConsoleSession s = found.get();
        Instant now = clock.instant();
        if (s.lastSeen().plus(IDLE_TIMEOUT).isBefore(now)
                || s.created().plus(ABSOLUTE_TIMEOUT).isBefore(now)) {
            accounts.deleteSession(digest);
            return Optional.empty();
        }
        Optional<ConsoleUser> user = accounts.user(s.userName());
        if (user.isEmpty() || user.get().disabled()) {
            accounts.deleteSession(digest);
            return Optional.empty();
        }
        if (Duration.between(s.lastSeen(), now).compareTo(TOUCH_EVERY) >= 0) {
            accounts.touchSession(digest, now);
        }
        return Optional.of(new SignedIn(user.get(), s, visibleTenants(user.get())));
    }

    /** Ends the session. */
    public void logout(SignedIn signedIn, String client) {
        accounts.deleteSession(signedIn.session().idSha256());
        audit(signedIn.user().name(), null, "logout", signedIn.user().name(), "", client);
    }

    /**
     * Changes the signed-in user's password after checking the current one; other sessions of the user end.
     *
     * @throws IllegalArgumentException when the current password is wrong or the new one is too short or long
     */
    public void changePassword(SignedIn signedIn, String current, String replacement, String client) {
        String name = signedIn.user().name();
        String stored = accounts.passwordHash(name).orElseThrow(() -> new IllegalArgumentException("unknown user"));
        if (!passwords.verify(current, stored)) {
            audit(name, null, "password.change.failure", name, "wrong current password", client);
            throw new IllegalArgumentException("the current password is wrong");
        }
        accounts.setPasswordHash(
                name, passwords.hash(replacement), signedIn.session().idSha256());
        audit(name, null, "password.change", name, "", client);
    }

    /** Whether the presented token is the session's CSRF token (constant-time). */
    public static boolean csrfMatches(SignedIn signedIn, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                signedIn.session().csrfToken().getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Every tenant for a platform administrator (but the built-in system tenant), else the user's listed ones. */
    public Set<TenantId> visibleTenants(ConsoleUser user) {
        Set<TenantId> out = new LinkedHashSet<>();
        if (user.role().seesAllTenants()) {
            for (Tenant t : meta.tenants()) {
                if (!t.isSystem()) {
                    out.add(t.id());
                }
            }
        } else {
            user.tenants().stream().map(TenantId::value).sorted().forEach(v -> out.add(TenantId.of(v)));
        }
        return out;
    }

    public void audit(String user, TenantId tenant, String action, String target, String details, String client) {
        accounts.audit(new AuditEntry(clock.instant(), user, tenant, action, target, details, client));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
