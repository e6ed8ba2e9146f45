package dev.vigil.console;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.meta.MetadataStore;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: server-rendered pages at {@code /} next to the API at {@code /api/v1}.
 *
 * <p><b>Design.</b> Pages are JTE templates compiled at build time (no compiler at run time) with HTML auto-escaping;
 * htmx swaps server-rendered fragments for filters, paging and triage, and ECharts draws charts from JSON in {@code
 * data-*} attributes. The only scripts are files served from {@code /static} (htmx and ECharts from their WebJars, and
 * {@code console.js}), so the Content-Security-Policy can forbid inline scripts and styles altogether: a value from a
 * log that slips through escaping still cannot run.
 *
 * <p>Every route goes through one wrapper ({@link #route}) that resolves the session cookie, checks the CSRF token on
 * POSTs, checks the tenant in the URL against the user's tenants (404 when not allowed, as for a tenant that does not
 * exist, so URL tampering learns nothing), checks the role, sets the security headers and turns exceptions into error
 * pages. Pages never see an unchecked request. Pages are {@link ConsolePage}s; the built-in ones are listed in {@link
 * #builtInPages()}.
 */
public final class Console {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    static final String COOKIE = "vigil_session";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
    private static final int MAX_LOGIN_FIELD = 1024;

    private final ConsoleServices services;
    private final ConsoleAuth auth;
    private final TemplateEngine templates;
    private final Map<String, StaticFile> staticFiles;

    private record StaticFile(String contentType, byte[] bytes) {}

    private Console(ConsoleServices services, ConsoleAuth auth) {
        this.services = requireNonNull(services, "services");
        this.auth = requireNonNull(auth, "auth");
        this.templates = TemplateEngine.createPrecompiled(ContentType.Html);
        this.staticFiles = loadStaticFiles();
    }

    /** Registers the console with the built-in pages. */
    public static void register(JavalinConfig config, ConsoleServices services) {
        register(config, services, builtInPages());
    }

    /** Registers the console with these pages (the built-in ones plus, say, incidents and threat intelligence). */
    public static void register(JavalinConfig config, ConsoleServices services, List<ConsolePage> pages) {
        requireNonNull(config, "config");
        requireNonNull(pages, "pages");
        Console console =
                new Console(services, new ConsoleAuth(services.metadata(), new Passwords(), services.clock()));
        console.install(config, pages);
    }

    /** The pages every console has, in navigation order. */
    public static List<ConsolePage> builtInPages() {
        return List.of(
                new OverviewPage(),
                new AlertsPage(),
                new IncidentsPage(),
                new SearchPage(),
                new RulesPage(),
                new IntelPage(),
                new AttackPage(),
                new ServerSettingsPage(),
                new SettingsPage(),
                new AccountPage());
    }

    private void install(JavalinConfig cfg, List<ConsolePage> pages) {
        cfg.routes.get("/static/{file}", this::serveStatic);
        cfg.routes.get("/login", this::loginPage);
        cfg.routes.post("/login", this::login);
        cfg.routes.post("/logout", route(false, true, Access.VIEW, this::logout));
        cfg.routes.get("/", route(false, false, Access.VIEW, this::home));
        ConsoleRouter router = new ConsoleRouter() {
            @Override
            public void tenantGet(String path, Access access, PageHandler handler) {
                cfg.routes.get("/t/{tenant}" + path, route(true, false, access, handler));
            }

            @Override
            public void tenantPost(String path, Access access, PageHandler handler) {
                cfg.routes.post("/t/{tenant}" + path, route(true, true, access, handler));
            }

            @Override
            public void get(String path, Access access, PageHandler handler) {
                cfg.routes.get(path, route(false, false, access, handler));
            }

            @Override
            public void post(String path, Access access, PageHandler handler) {
                cfg.routes.post(path, route(false, true, access, handler));
            }
        };
        for (ConsolePage page : pages) {
            page.register(router);
        }
    }

    // ---------------------------------------------------------------- the one gate every page passes

    private Handler route(boolean tenantRoute, boolean post, Access access, ConsoleRouter.PageHandler handler) {
        return ctx -> {
            securityHeaders(ctx);
            Optional<ConsoleAuth.SignedIn> signedIn = Optional.empty();
            try {
                signedIn = auth.resolve(ctx.cookie(COOKIE));
                if (signedIn.isEmpty()) {
                    notSignedIn(ctx, post);
                    return;
                }
                ConsoleAuth.SignedIn user = signedIn.get();
                if (post) {
                    String token = ctx.header("X-CSRF-Token");
                    if (token == null) {
                        token = ctx.formParam("_csrf");
                    }
                    if (!ConsoleAuth.csrfMatches(user, token)) {
                        auth.audit(user.user().name(), null, "csrf.reject", ctx.path(), "", ctx.ip());
                        throw new ConsoleException(403, "the form is out of date or came from another site");
                    }
                }
                TenantId tenant = null;
                if (tenantRoute) {
                    String name = ctx.pathParam("tenant");
                    if (!MetadataStore.isValidTenantName(name) || !user.maySee(TenantId.of(name))) {
                        throw new ConsoleException(404, "no such tenant");
                    }
                    tenant = TenantId.of(name);
                }
                if (!access.allows(user.user().role())) {
                    throw new ConsoleException(403, "your role may not do this");
                }
                handler.handle(new PageRequest(ctx, services, auth, user, tenant, templates));
            } catch (ConsoleException e) {
                error(ctx, e.status(), e.getMessage(), signedIn);
            } catch (IllegalArgumentException e) {
                error(ctx, 400, e.getMessage(), signedIn);
            } catch (Exception e) {
                LOG.error("console request {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error; the server log has the details", signedIn);
            }
        };
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
    }

    private static void notSignedIn(Context ctx, boolean post) {
        if ("true".equals(ctx.header("HX-Request"))) {
            ctx.header("HX-Redirect", "/login").status(401);
        } else if (post) {
            ctx.status(401).contentType("text/plain; charset=utf-8").result("not signed in");
        } else {
            ctx.redirect("/login", HttpStatus.SEE_OTHER);
        }
    }

    private void error(Context ctx, int status, String message, Optional<ConsoleAuth.SignedIn> user) {
        Messages m = Messages.forTag(user.map(u -> u.user().locale()).orElse("en"));
        ctx.status(status);
        if ("true".equals(ctx.header("HX-Request"))) {
            // htmx does not swap error responses by default; console.js shows this text in the page's message area.
            ctx.contentType("text/plain; charset=utf-8").result(message == null ? "" : message);
            return;
        }
        render(ctx, "error.jte", Map.of("m", m, "status", status, "message", message == null ? "" : message));
    }

    private void render(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    // ---------------------------------------------------------------- login, logout, home

    private void loginPage(Context ctx) {
        securityHeaders(ctx);
        if (auth.resolve(ctx.cookie(COOKIE)).isPresent()) {
            ctx.redirect("/", HttpStatus.SEE_OTHER);
            return;
        }
        loginForm(ctx, "", 200);
    }

    private void loginForm(Context ctx, String error, int status) {
        String accept = ctx.header("Accept-Language");
        String tag = accept != null && accept.toLowerCase(Locale.ROOT).startsWith("zh") ? "zh-CN" : "en";
        ctx.status(status);
        render(ctx, "login.jte", Map.of("m", Messages.forTag(tag), "error", error));
    }

    private void login(Context ctx) {
        securityHeaders(ctx);
        String name = ctx.formParam("username");
        String password = ctx.formParam("password");
        if (name == null
                || password == null
                || name.length() > MAX_LOGIN_FIELD
                || password.length() > MAX_LOGIN_FIELD) {
            loginForm(ctx, "login.error.credentials", 400);
            return;
        }
        switch (auth.login(name, password, ctx.ip())) {
            case ConsoleAuth.LoginResult.Success s -> {
                ctx.header(
                        "Set-Cookie",
                        COOKIE + "=" + s.cookieValue() + "; Path=/; Max-Age=" + ConsoleAuth.ABSOLUTE_TIMEOUT.toSeconds()
                                + "; Secure; HttpOnly; SameSite=Strict");
                ctx.redirect("/", HttpStatus.SEE_OTHER);
            }
            case ConsoleAuth.LoginResult.WrongCredentials w -> loginForm(ctx, "login.error.credentials", 401);
            case ConsoleAuth.LoginResult.Throttled t -> {
                ctx.header(
                        "Retry-After", Long.toString(Math.max(1, t.retryAfter().toSeconds())));
                loginForm(ctx, "login.error.throttled", 429);
            }
        }
    }

    private void logout(PageRequest r) {
        auth.logout(r.user(), r.client());
        r.ctx().header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
        r.ctx().redirect("/login", HttpStatus.SEE_OTHER);
    }

    private void home(PageRequest r) {
        var tenants = new ArrayList<>(r.user().tenants());
        if (tenants.size() == 1) {
            r.ctx().redirect("/t/" + tenants.get(0).value() + "/overview", HttpStatus.SEE_OTHER);
        } else {
            r.ctx().redirect("/overview", HttpStatus.SEE_OTHER);
        }
    }

    // ---------------------------------------------------------------- static files

    private Map<String, StaticFile> loadStaticFiles() {
        Properties versions = new Properties();
        try (InputStream in = Console.class.getResourceAsStream("assets.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/vigil/console/assets.properties is missing from the jar");
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, StaticFile> out = new HashMap<>();
        String js = "text/javascript; charset=utf-8";
        out.put(
                "htmx.min.js",
                load("/META-INF/resources/webjars/htmx.org/" + versions.getProperty("htmx") + "/dist/htmx.min.js", js));
        out.put(
                "echarts.min.js",
                load(
                        "/META-INF/resources/webjars/echarts/" + versions.getProperty("echarts")
                                + "/dist/echarts.min.js",
                        js));
        out.put("console.js", load("/dev/vigil/console/static/console.js", js));
        out.put("console.css", load("/dev/vigil/console/static/console.css", "text/css; charset=utf-8"));
        return Map.copyOf(out);
    }

    private static StaticFile load(String resource, String contentType) {
        try (InputStream in = Console.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("console asset " + resource + " is missing from the class path");
            }
            return new StaticFile(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console asset " + resource, e);
        }
    }

    private void serveStatic(Context ctx) {
        securityHeaders(ctx);
        StaticFile f = staticFiles.get(ctx.pathParam("file"));
        if (f == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("no such file");
            return;
        }
        // Versioned by the build (the page links carry ?v=); a day is short enough for a changed console.js.
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.contentType(f.contentType()).result(f.bytes());
    }
}
