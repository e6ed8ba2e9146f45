package dev.vigil.console;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The server's configuration as the settings page shows it, read only and without secrets: the inputs listening and the
 * notification channels and routes. The page shows a tenant the inputs and routes that apply to it.
 */
public interface SettingsView {
    /** The inputs, HTTP first, then syslog listeners and tailed files, in configuration order. */
    List<Input> inputs();

    /** The notification channels; secrets are never part of them. */
    List<Channel> channels();

    /** The notification routes in order. */
    List<Route> routes();

    /** A server with no inputs and no notifications configured. */
    static SettingsView none() {
        return new SettingsView() {
            @Override
            public List<Input> inputs() {
                return List.of();
            }

            @Override
            public List<Channel> channels() {
                return List.of();
            }

            @Override
            public List<Route> routes() {
                return List.of();
            }
        };
    }

    /**
     * One input.
     *
     * @param kind http, hec, otlp, ingest, syslog-udp, syslog-tcp, syslog-tls or file
     * @param address the bind address (a path for a tailed file)
     * @param port the bound port, 0 for a file
     * @param tls whether the input itself speaks TLS
     * @param tenant the tenant whose events it receives, or empty when the sender's token decides
     * @param detail what else identifies it: the URL path of an HTTP endpoint, the format of a file
     */
    record Input(String kind, String address, int port, boolean tls, String tenant, String detail) {
        public Input {
            requireNonNull(kind, "kind");
            requireNonNull(address, "address");
            tenant = tenant == null ? "" : tenant;
            detail = detail == null ? "" : detail;
        }

        /** Whether a tenant's administrators see it: shared inputs and the tenant's own. */
        public boolean appliesTo(String tenantName) {
            return tenant.isEmpty() || tenant.equals(tenantName);
        }
    }

    /**
     * A notification channel.
     *
     * @param name the name routes refer to
     * @param kind webhook, email, syslog, dingtalk, wecom or feishu
     * @param destination where messages go, masked ({@link Masking#origin}: robot tokens live in URL paths)
     * @param signed whether a signing secret or password is configured (never shown)
     */
    record Channel(String name, String kind, String destination, boolean signed) {
        public Channel {
            requireNonNull(name, "name");
            requireNonNull(kind, "kind");
            requireNonNull(destination, "destination");
        }
    }

    /**
     * A notification route.
     *
     * @param tenants the tenants it applies to, empty for all
     * @param minSeverity the least severity sent (a Sigma level word)
     * @param rules glob patterns over rule ids, empty for all
     * @param kinds alert and/or incident, empty for both
     * @param language the messages' language tag
     */
    record Route(
            String name,
            List<String> tenants,
            String minSeverity,
            List<String> rules,
            List<String> kinds,
            List<String> channels,
            String language) {
        public Route {
            requireNonNull(name, "name");
            tenants = List.copyOf(tenants);
            requireNonNull(minSeverity, "minSeverity");
            rules = List.copyOf(rules);
            kinds = List.copyOf(kinds);
            channels = List.copyOf(channels);
            requireNonNull(language, "language");
        }

        public boolean appliesTo(String tenantName) {
            return tenants.isEmpty() || tenants.contains(tenantName);
        }
    }
}
