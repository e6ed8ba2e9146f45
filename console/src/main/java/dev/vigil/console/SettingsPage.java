package dev.vigil.console;

import dev.vigil.core.TenantId;
import dev.vigil.meta.AuditEntry;
import dev.vigil.meta.ConsoleRole;
import dev.vigil.meta.ConsoleUser;
import dev.vigil.meta.IssuedToken;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import dev.vigil.meta.TokenInfo;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Administration: a tenant's API tokens and audit log (tenant administrators), console users and the whole audit log
 * (platform administrators). A new token or generated password is shown once, on the response to the form that made it.
 */
public final class SettingsPage implements ConsolePage {
    private static final int AUDIT_ROWS = 200;

    public record Tokens(List<TokenInfo> tokens, String issued) {}

    public record Audit(List<AuditEntry> entries) {}

    public record Users(List<ConsoleUser> users, List<String> tenants, String createdName, String createdPassword) {}

    @Override
    public void register(ConsoleRouter router) {
        router.tenantGet("/settings/tokens", Access.TENANT_ADMIN, r -> tokens(r, null));
        router.tenantPost("/settings/tokens/create", Access.TENANT_ADMIN, this::createToken);
        router.tenantPost("/settings/tokens/revoke", Access.TENANT_ADMIN, this::revokeToken);
        router.tenantGet(
                "/audit",
                Access.TENANT_ADMIN,
                r -> r.render(
                        "audit.jte",
                        "nav.audit",
                        "audit",
                        new Audit(r.auth().accounts().auditLog(Set.of(r.tenant()), AUDIT_ROWS))));
        router.get(
                "/settings/audit",
                Access.PLATFORM_ADMIN,
                r -> r.render(
                        "audit.jte",
                        "nav.audit",
                        "audit",
                        new Audit(r.auth().accounts().auditLog(null, AUDIT_ROWS))));
        router.get("/settings/users", Access.PLATFORM_ADMIN, r -> users(r, null, null));
        router.post("/settings/users/create", Access.PLATFORM_ADMIN, this::createUser);
        router.post("/settings/users/disable", Access.PLATFORM_ADMIN, this::disableUser);
    }

    private static void tokens(PageRequest r, String issued) {
        r.render(
                "tokens.jte",
                "nav.tokens",
                "tokens",
                new Tokens(r.services().metadata().listTokens(r.tenant()), issued));
    }

    private void createToken(PageRequest r) {
        Role role = Role.parse(r.form("role", 16));
        String description = r.form("description", MetadataStore.MAX_DESCRIPTION_CHARS);
        IssuedToken token = r.services().metadata().createToken(r.tenant(), role, description);
        r.audit("token.create", token.info().tokenId(), role.wireName() + " " + description);
        tokens(r, token.token());
    }

    private void revokeToken(PageRequest r) {
        String id = r.form("token", 64);
        TokenInfo info = r.services()
                .metadata()
                .token(id)
                .filter(t -> t.tenant().equals(r.tenant()))
                .orElseThrow(() -> new ConsoleException(404, "no token '" + id + "' in this tenant"));
        if (r.services().metadata().revokeToken(info.tokenId())) {
            r.audit("token.revoke", info.tokenId(), info.description());
        }
        r.redirect("/t/" + r.tenant().value() + "/settings/tokens");
    }

    private static void users(PageRequest r, String createdName, String createdPassword) {
        List<String> tenants = r.services().metadata().tenants().stream()
                .filter(t -> !t.isSystem())
                .map(Tenant::name)
                .toList();
        r.render(
                "users.jte",
                "nav.users",
                "users",
                new Users(r.auth().accounts().users(), tenants, createdName, createdPassword));
    }

    private void createUser(PageRequest r) {
        String name = r.form("name", 64).strip();
        ConsoleRole role = ConsoleRole.parse(r.form("role", 32));
        Set<TenantId> tenants = new LinkedHashSet<>();
        for (String t : r.forms("tenant", 1000, 63)) {
            if (!MetadataStore.isValidTenantName(t)) {
                throw new ConsoleException(400, "invalid tenant name '" + t + "'");
            }
            tenants.add(TenantId.of(t));
        }
        String password = r.auth().passwords().generate();
        r.auth().accounts().createUser(name, r.auth().passwords().hash(password), role, tenants, "en");
        r.audit("user.create", name, role.wireName() + " " + tenants);
        users(r, name, password);
    }

    private void disableUser(PageRequest r) {
        String name = r.form("name", 64);
        if (name.equals(r.user().user().name())) {
            throw new ConsoleException(400, "you cannot disable yourself");
        }
        if (r.auth().accounts().setDisabled(name, true)) {
            r.audit("user.disable", name, "");
        }
        r.redirect("/settings/users");
    }
}
