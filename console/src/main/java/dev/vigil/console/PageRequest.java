package dev.vigil.console;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One request to a console page: who asks, about which tenant, and how to answer (render, fragment, redirect). */
public final class PageRequest {
    private final Context ctx;
    private final ConsoleServices services;
    private final ConsoleAuth auth;
    private final ConsoleAuth.SignedIn user;
    private final TenantId tenant;
    private final Messages messages;
    private final TemplateEngine templates;

    PageRequest(
            Context ctx,
            ConsoleServices services,
            ConsoleAuth auth,
            ConsoleAuth.SignedIn user,
            TenantId tenant,
            TemplateEngine templates) {
        this.ctx = requireNonNull(ctx, "ctx");
        this.services = requireNonNull(services, "services");
        this.auth = requireNonNull(auth, "auth");
        this.user = requireNonNull(user, "user");
        this.tenant = tenant;
        this.templates = requireNonNull(templates, "templates");
        this.messages = Messages.forTag(user.user().locale());
    }

    public Context ctx() {
        return ctx;
    }

    public ConsoleServices services() {
        return services;
    }

    public ConsoleAuth auth() {
        return auth;
    }

    public ConsoleAuth.SignedIn user() {
        return user;
    }

    /** The tenant in the URL, already checked against the user's tenants. */
    public TenantId tenant() {
        if (tenant == null) {
            throw new IllegalStateException("not a tenant route");
        }
        return tenant;
    }

    public Messages messages() {
        return messages;
    }

    /** The client address as Jetty sees it (the console is not meant to sit behind a proxy that rewrites it). */
    public String client() {
        return ctx.ip();
    }

    /** Whether htmx sent this request (it wants a fragment, not a page). */
    public boolean htmx() {
        return "true".equals(ctx.header("HX-Request"));
    }

    public Frame frame(String titleKey, String active) {
        var role = user.user().role();
        return new Frame(
                messages,
                messages.t(titleKey),
                user.user().name(),
                role.wireName(),
                tenant,
                user.tenants().stream().map(TenantId::value).toList(),
                user.session().csrfToken(),
                active,
                role.mayAdministerTenant(),
                Access.PLATFORM_ADMIN.allows(role),
                role.mayTriage());
    }

    /** Renders a page template: it gets {@code frame} and {@code model}. */
    public void render(String template, String titleKey, String active, Object model) {
        html(template, Map.of("frame", frame(titleKey, active), "model", model));
    }

    /** Renders a page template under a title that is data (escaped like any value), not a message key. */
    public void renderTitled(String template, String title, String active, Object model) {
        html(template, Map.of("frame", frame("app.name", active).withTitle(title), "model", model));
    }

    /** Renders a fragment template (no layout) with the same two parameters. */
    public void fragment(String template, Object model) {
        html(template, Map.of("frame", frame("app.name", ""), "model", model));
    }

    private void html(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(8192);
        templates.render(template, params, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** After a form post: 303 to a page (htmx follows it as a full navigation through HX-Location). */
    public void redirect(String path) {
        if (htmx()) {
            ctx.header("HX-Location", path).status(204);
        } else {
            ctx.redirect(path, io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    /** Records an action of the signed-in user in the audit log, in the tenant of the URL (if any). */
    public void audit(String action, String target, String details) {
        auth.audit(user.user().name(), tenant, action, target, details, client());
    }

    /** A query parameter, empty when absent; longer than {@code max} characters is refused with 400. */
    public String query(String name, int max) {
        return bounded(name, ctx.queryParam(name), max);
    }

    /** A form field, empty when absent; bounded like {@link #query}. */
    public String form(String name, int max) {
        return bounded(name, ctx.formParam(name), max);
    }

    /** A repeated form field (checkboxes): at most {@code maxCount} values of at most {@code max} characters. */
    public List<String> forms(String name, int maxCount, int max) {
        List<String> values = ctx.formParams(name);
        if (values.size() > maxCount) {
            throw new ConsoleException(400, "at most " + maxCount + " values of '" + name + "'");
        }
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(bounded(name, v, max));
        }
        return out;
    }

    private static String bounded(String name, String value, int max) {
        if (value == null) {
            return "";
        }
        if (value.length() > max) {
            throw new ConsoleException(400, "'" + name + "' is longer than " + max + " characters");
        }
        return value;
    }
}
