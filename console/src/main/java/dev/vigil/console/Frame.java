package dev.vigil.console;

import dev.vigil.core.TenantId;
import java.util.List;

/**
 * What every page's layout needs: texts, who is signed in, the tenant in view, the CSRF token for forms and the
 * navigation entry to highlight.
 *
 * @param tenant the tenant in the URL, or null on pages outside any tenant (roll-up, users, account)
 * @param tenants the tenants the user may switch to
 */
public record Frame(
        Messages m,
        String title,
        String user,
        String role,
        TenantId tenant,
        List<String> tenants,
        String csrf,
        String active,
        boolean tenantAdmin,
        boolean platformAdmin,
        boolean mayTriage) {
    public Frame {
        tenants = List.copyOf(tenants);
    }

    /** The same frame under another title (a page named after its object, such as an incident). */
    public Frame withTitle(String newTitle) {
        return new Frame(m, newTitle, user, role, tenant, tenants, csrf, active, tenantAdmin, platformAdmin, mayTriage);
    }

    /** The URL prefix of the tenant in view: {@code /t/<tenant>}. */
    public String base() {
        return tenant == null ? "" : "/t/" + tenant.value();
    }

    public String tenantName() {
        return tenant == null ? "" : tenant.value();
    }
}
