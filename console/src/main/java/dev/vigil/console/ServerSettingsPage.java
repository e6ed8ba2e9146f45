package dev.vigil.console;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's settings as they concern one tenant ({@code /t/{tenant}/settings}, tenant administrators): the inputs
 * that receive its events, and the notification routes that apply to it with their channels, read only and with
 * secrets masked; links to the tenant's API tokens and, for platform administrators, the users. Inputs and routes bound
 * to other tenants are left out.
 */
public final class ServerSettingsPage implements ConsolePage {
    public record Model(
            List<SettingsView.Input> inputs, List<SettingsView.Route> routes, List<SettingsView.Channel> channels) {}

    @Override
    public void register(ConsoleRouter router) {
        router.tenantGet("/settings", Access.TENANT_ADMIN, this::page);
    }

    void page(PageRequest r) {
        r.render(
                "server_settings.jte",
                "nav.settings",
                "settings",
                model(r.services().settings(), r.tenant().value()));
    }

    static Model model(SettingsView view, String tenant) {
        List<SettingsView.Input> inputs =
                view.inputs().stream().filter(i -> i.appliesTo(tenant)).toList();
        List<SettingsView.Route> routes =
                view.routes().stream().filter(x -> x.appliesTo(tenant)).toList();
        Set<String> used = new LinkedHashSet<>();
        routes.forEach(x -> used.addAll(x.channels()));
        List<SettingsView.Channel> channels =
                view.channels().stream().filter(c -> used.contains(c.name())).toList();
        return new Model(inputs, routes, channels);
    }
}
