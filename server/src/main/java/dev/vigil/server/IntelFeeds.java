package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.TenantId;
import dev.vigil.intel.ImportOptions;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.misp.MispImporter;
import dev.vigil.intel.stix.StixImporter;
import dev.vigil.meta.MetadataStore;
import dev.vigil.taxii.FeedFetcher;
import dev.vigil.taxii.TaxiiClient;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the configured intel feeds on their schedules. Plain HTTP feeds (STIX bundles, MISP events, CSV lists, MISP
 * feed manifests) are fetched with conditional requests, so an unchanged feed costs a 304; the validators (ETag,
 * Last-Modified) and a TAXII collection's last {@code date_added} are kept in the metadata database, so a restart
 * resumes where the last pull ended. Every pull's outcome is kept for the API and logged; a failing feed is retried at
 * its next turn and never stops the others.
 */
final class IntelFeeds {
    private static final Logger LOG = LoggerFactory.getLogger(IntelFeeds.class);
    private static final int TAXII_PAGE = 1000;
    private static final int TAXII_MAX_OBJECTS = 500_000;

    /** The last pull of a feed. */
    record Status(Instant at, String outcome, int indicators, int rejected, String error) {}

    private final List<ServerConfig.IntelFeed> feeds;
    private final IntelService intel;
    private final MetadataStore meta;
    private final Clock clock;
    private final FeedFetcher fetcher = FeedFetcher.withDefaults();
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Map<String, Status> status = new ConcurrentHashMap<>();

    IntelFeeds(List<ServerConfig.IntelFeed> feeds, IntelService intel, MetadataStore meta, Clock clock) {
        this.feeds = List.copyOf(feeds);
        this.intel = requireNonNull(intel, "intel");
        this.meta = requireNonNull(meta, "meta");
        this.clock = requireNonNull(clock, "clock");
    }

    void schedule(ScheduledExecutorService executor) {
        long delay = 5;
        for (ServerConfig.IntelFeed f : feeds) {
            executor.scheduleWithFixedDelay(() -> pull(f), delay, f.interval().toSeconds(), TimeUnit.SECONDS);
            delay += 5;
        }
    }

    Map<String, Status> status() {
        return new LinkedHashMap<>(status);
    }

    /** Pulls one feed now; never throws (the outcome is in {@link #status()}). */
    Status pull(ServerConfig.IntelFeed feed) {
        Status s;
        try {
            s = switch (feed.type()) {
                case "taxii" -> pullTaxii(feed);
                case "misp" -> pullMispFeed(feed);
                default -> pullFile(feed);
            };
        } catch (RuntimeException e) {
            s = new Status(clock.instant(), "failed", 0, 0, String.valueOf(e.getMessage()));
            LOG.warn("intel feed {}: {}", feed.name(), e.getMessage());
        }
        status.put(feed.name(), s);
        return s;
    }

    private TenantId scope(ServerConfig.IntelFeed feed) {
        if (feed.tenant() == null) {
            return null;
        }
        return meta.tenant(feed.tenant())
                .orElseThrow(() -> new IllegalStateException("no tenant named '" + feed.tenant() + "'"))
                .id();
    }

    private Status pullFile(ServerConfig.IntelFeed feed) {
        String key = "feed:" + feed.name() + ":validators";
        FeedFetcher.Validators previous =
                meta.intelState(key).map(IntelFeeds::validators).orElse(FeedFetcher.Validators.NONE);
        FeedFetcher.Result r = fetcher.fetch(URI.create(feed.url()), previous, headers(feed));
        if (r instanceof FeedFetcher.NotModified) {
            return new Status(clock.instant(), "not-modified", 0, 0, null);
        }
        FeedFetcher.Fetched fetched = (FeedFetcher.Fetched) r;
        IntelImports.Format format = switch (feed.type()) {
            case "stix" -> IntelImports.Format.STIX;
            case "misp-event" -> IntelImports.Format.MISP;
            default -> IntelImports.Format.CSV;
        };
        IntelService.ImportReport report =
                intel.importFile(feed.name(), format, fetched.body(), scope(feed), IntelImports.csvMapping(feed.csv()));
        meta.putIntelState(key, text(fetched.validators()));
        return done(feed, report);
    }

    private Status pullMispFeed(ServerConfig.IntelFeed feed) {
        String key = "feed:" + feed.name() + ":validators";
        FeedFetcher.Validators previous =
                meta.intelState(key).map(IntelFeeds::validators).orElse(FeedFetcher.Validators.NONE);
        URI manifest = URI.create(feed.url());
        FeedFetcher.Result r = fetcher.fetch(manifest, previous, headers(feed));
        if (r instanceof FeedFetcher.NotModified) {
            return new Status(clock.instant(), "not-modified", 0, 0, null);
        }
        FeedFetcher.Fetched fetched = (FeedFetcher.Fetched) r;
        ImportResult result = new MispImporter()
                .importFeed(
                        feed.name(),
                        fetched.body(),
                        uuid -> {
                            FeedFetcher.Result event = fetcher.fetch(
                                    manifest.resolve(uuid + ".json"), FeedFetcher.Validators.NONE, headers(feed));
                            return event instanceof FeedFetcher.Fetched f ? f.body() : null;
                        },
                        ImportOptions.DEFAULTS.withTenant(scope(feed)));
        IntelService.ImportReport report = intel.importParsed(result);
        meta.putIntelState(key, text(fetched.validators()));
        return done(feed, report);
    }

    /** The feed's URL is the collection's: {@code https://host/api-root/collections/ID/}. */
    private Status pullTaxii(ServerConfig.IntelFeed feed) {
        String url = feed.url().endsWith("/") ? feed.url() : feed.url() + "/";
        int at = url.lastIndexOf("/collections/");
        if (at < 0) {
            throw new IllegalStateException("the TAXII URL must end in /collections/<id>/: " + feed.url());
        }
        URI apiRoot = URI.create(url.substring(0, at + 1));
        String collection = url.substring(at + "/collections/".length(), url.length() - 1);
        TaxiiClient.Builder b = TaxiiClient.builder();
        if (feed.token() != null) {
            b.bearerToken(feed.token());
        } else if (feed.user() != null) {
            b.basicAuth(feed.user(), feed.password() == null ? "" : feed.password());
        }
        String key = "feed:" + feed.name() + ":added_after";
        Instant after = meta.intelState(key).map(Instant::parse).orElse(null);
        ObjectNode bundle = json.createObjectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + java.util.UUID.randomUUID());
        ArrayNode objects = bundle.putArray("objects");
        TaxiiClient.PollResult poll = b.build().poll(apiRoot, collection, after, TAXII_PAGE, page -> {
            for (ObjectNode o : page.objects()) {
                if (objects.size() < TAXII_MAX_OBJECTS) {
                    objects.add(o);
                }
            }
        });
        if (poll.objects() == 0) {
            return new Status(clock.instant(), "not-modified", 0, 0, null);
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(bundle);
        } catch (IOException e) {
            throw new IllegalStateException("cannot assemble the TAXII objects into a bundle", e);
        }
        ImportResult result =
                new StixImporter().importBundle(feed.name(), bytes, ImportOptions.DEFAULTS.withTenant(scope(feed)));
        IntelService.ImportReport report = intel.importParsed(result);
        if (poll.lastAdded() != null) {
            meta.putIntelState(key, poll.lastAdded().toString());
        }
        return done(feed, report);
    }

    private Status done(ServerConfig.IntelFeed feed, IntelService.ImportReport report) {
        ImportResult r = report.result();
        LOG.info(
                "intel feed {}: {} indicators ({} new), {} rejected, retro-hunt {} alerts",
                feed.name(),
                report.stored(),
                report.stored() - report.merged(),
                r.rejected(),
                report.retroHuntAlerts());
        return new Status(clock.instant(), "imported", report.stored(), r.rejected(), null);
    }

    private static Map<String, String> headers(ServerConfig.IntelFeed feed) {
        if (feed.token() != null) {
            return Map.of("Authorization", "Bearer " + feed.token());
        }
        return Map.of();
    }

    private static String text(FeedFetcher.Validators v) {
        return (v.etag() == null ? "" : v.etag()) + "\n" + (v.lastModified() == null ? "" : v.lastModified());
    }

    private static FeedFetcher.Validators validators(String text) {
        int nl = text.indexOf('\n');
        String etag = nl < 0 ? text : text.substring(0, nl);
        String modified = nl < 0 ? "" : text.substring(nl + 1);
        return new FeedFetcher.Validators(etag.isEmpty() ? null : etag, modified.isEmpty() ? null : modified);
    }
}
