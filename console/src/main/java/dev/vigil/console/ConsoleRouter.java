package dev.vigil.console;

/**
 * Where pages register their routes. Every route registered here is behind the session check; tenant routes live under
 * {@code /t/{tenant}} and are refused (404, as for a tenant that does not exist) unless the user may see that tenant;
 * POST routes require the session's CSRF token (form field {@code _csrf} or header {@code X-CSRF-Token}).
 */
public interface ConsoleRouter {
    /** A page or htmx fragment (GET) under {@code /t/{tenant}}; {@code path} starts with {@code /}. */
    void tenantGet(String path, Access access, PageHandler handler);

    /** A state-changing request (POST) under {@code /t/{tenant}}. */
    void tenantPost(String path, Access access, PageHandler handler);

    /** A page outside any tenant (roll-up, users, account). */
    void get(String path, Access access, PageHandler handler);

    void post(String path, Access access, PageHandler handler);

    /** Handles one request. */
    @FunctionalInterface
    interface PageHandler {
        void handle(PageRequest request) throws Exception;
    }
}
