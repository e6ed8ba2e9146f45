package dev.vigil.taxii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.TenantId;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TAXII client against the TAXII server, both real, over loopback HTTP. */
class TaxiiClientServerTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final String INDICATORS = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";
    private static final String RESTRICTED = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
    private static final String GLOBEX_COLLECTION = "52892447-4d7e-4f70-b94d-d7f22742ff63";
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryTaxiiCollections source = new InMemoryTaxiiCollections();
    private final List<StixObject> acmeObjects = new ArrayList<>();
    private Javalin app;
    private URI discovery;
    private URI apiRoot;

    @BeforeEach
    void start() {
        source.addCollection(ACME, new TaxiiCollection(INDICATORS, "Vigil indicators", "shared", true, false));
        source.addCollection(ACME, new TaxiiCollection(RESTRICTED, "Restricted", "", false, false));
        source.addCollection(GLOBEX, new TaxiiCollection(GLOBEX_COLLECTION, "Globex", "", true, false));
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            // Distinct times with microseconds, in shuffled insertion order: the server must sort.
            acmeObjects.add(indicator(i, BASE.plus(i * 1_000_003L, ChronoUnit.MICROS)));
        }
        List<StixObject> shuffled = new ArrayList<>(acmeObjects);
        java.util.Collections.shuffle(shuffled, random);
        shuffled.forEach(o -> source.add(INDICATORS, o));
        source.add(GLOBEX_COLLECTION, indicator(9999, BASE));
        source.add(RESTRICTED, indicator(8888, BASE));

        Map<String, TaxiiPrincipal> tokens = Map.of(
                "Bearer vgl_acme_secret",
                new TaxiiPrincipal("acme-reader", ACME),
                "Bearer vgl_globex_secret",
                new TaxiiPrincipal("globex-reader", GLOBEX),
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString("feed:pw".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new TaxiiPrincipal("feed", ACME));
        TaxiiAuthenticator auth = header -> Optional.ofNullable(header == null ? null : tokens.get(header));
        app = Javalin.create(cfg -> {
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.startup.showJavalinBanner = false;
            TaxiiServer.register(
                    cfg.routes, source, auth, new TaxiiServer.Options("Vigil test", "vigil", 100, 25, null));
        });
        app.start();
        discovery = URI.create("http://127.0.0.1:" + app.port() + "/taxii2/");
        apiRoot = discovery.resolve("vigil/");
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private static StixObject indicator(int n, Instant added) {
        String id = String.format("indicator--00000000-0000-4000-8000-%012d", n);
        String ts = "2025-12-0" + (1 + n % 9) + "T00:00:00.000Z";
        String json = "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"" + ts
                + "\",\"modified\":\"" + ts + "\",\"pattern\":\"[ipv4-addr:value = '198.51.100." + (n % 256)
                + "']\",\"pattern_type\":\"stix\",\"valid_from\":\"" + ts + "\"}";
        return new StixObject(id, "indicator", ts, added, json);
    }

    private TaxiiClient client(String token) {
        return TaxiiClient.builder().bearerToken(token).build();
    }

    @Test
    void discoveryApiRootAndCollections() {
        TaxiiClient c = client("vgl_acme_secret");
        TaxiiClient.Discovery d = c.discover(discovery);
        assertThat(d.title()).isEqualTo("Vigil test");
        assertThat(d.apiRoots()).containsExactly(apiRoot);
        assertThat(d.defaultApiRoot()).isEqualTo(apiRoot);
        assertThat(c.apiRoot(apiRoot).versions()).containsExactly(TaxiiServer.MEDIA_TYPE);
        assertThat(c.collections(apiRoot))
                .extracting(TaxiiCollection::id, TaxiiCollection::canRead)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(INDICATORS, true),
                        org.assertj.core.groups.Tuple.tuple(RESTRICTED, false));
    }

    @Test
    void aPollReadsEveryObjectOncePageByPageInOrder() {
        List<TaxiiClient.Page> pages = new ArrayList<>();
        TaxiiClient.PollResult r = client("vgl_acme_secret").poll(apiRoot, INDICATORS, null, 40, pages::add);

        assertThat(r.pages()).isEqualTo(8);
        assertThat(r.objects()).isEqualTo(300);
        assertThat(pages).allSatisfy(p -> assertThat(p.objects()).hasSizeLessThanOrEqualTo(40));
        assertThat(pages.get(0).more()).isTrue();
        assertThat(pages.get(7).more()).isFalse();
        List<String> ids = pages.stream()
                .flatMap(p -> p.objects().stream())
                .map(o -> o.get("id").asText())
                .toList();
        assertThat(ids)
                .containsExactlyElementsOf(
                        acmeObjects.stream().map(StixObject::id).toList());
        assertThat(r.lastAdded()).isEqualTo(acmeObjects.get(299).dateAdded());
        TaxiiClient.Page first = pages.get(0);
        assertThat(first.dateAddedFirst()).isEqualTo(acmeObjects.get(0).dateAdded());
        assertThat(first.dateAddedLast()).isEqualTo(acmeObjects.get(39).dateAdded());
        ObjectNode o = first.objects().get(0);
        assertThat(o.get("pattern").asText()).isEqualTo("[ipv4-addr:value = '198.51.100.0']");
    }

    @Test
    void theServerCapsThePageSizeAndUsesItsDefault() {
        TaxiiClient c = client("vgl_acme_secret");
        assertThat(c.objects(apiRoot, INDICATORS, null, null, 1000).objects()).hasSize(100);
        assertThat(c.objects(apiRoot, INDICATORS, null, null, 0).objects()).hasSize(25);
    }

    @Test
    void anIncrementalPollFromTheLastDateAddedGetsOnlyNewObjects() {
        TaxiiClient c = client("vgl_acme_secret");
        TaxiiClient.PollResult first = c.poll(apiRoot, INDICATORS, null, 100, p -> {});
        List<StixObject> added = new ArrayList<>();
        for (int i = 300; i < 320; i++) {
            StixObject o = indicator(i, first.lastAdded().plus(i, ChronoUnit.MICROS));
            added.add(o);
            source.add(INDICATORS, o);
        }
        List<String> seen = new ArrayList<>();
        TaxiiClient.PollResult second = c.poll(
                apiRoot,
                INDICATORS,
                first.lastAdded(),
                7,
                p -> p.objects().forEach(o -> seen.add(o.get("id").asText())));

        assertThat(seen)
                .containsExactlyElementsOf(added.stream().map(StixObject::id).toList());
        assertThat(second.lastAdded()).isEqualTo(added.get(19).dateAdded());
        TaxiiClient.PollResult third = c.poll(apiRoot, INDICATORS, second.lastAdded(), 7, p -> {});
        assertThat(third.objects()).isZero();
        assertThat(third.lastAdded()).isEqualTo(second.lastAdded());
    }

    @Test
    void basicAuthenticationWorksToo() {
        TaxiiClient c = TaxiiClient.builder().basicAuth("feed", "pw").build();
        assertThat(c.collections(apiRoot)).hasSize(2);
    }

    @Test
    void badOrMissingCredentialsGet401() throws Exception {
        assertThatThrownBy(() -> client("vgl_wrong").collections(apiRoot))
                .isInstanceOfSatisfying(TaxiiException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.url())
                            .isEqualTo(apiRoot.resolve("collections/").toString());
                })
                .hasMessageContaining("Unauthorized");
        HttpResponse<String> r = raw(apiRoot.resolve("collections/"), TaxiiServer.MEDIA_TYPE, null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(r.headers().firstValue("Content-Type")).hasValue(TaxiiServer.MEDIA_TYPE);
        assertThat(r.body()).contains("\"http_status\":\"401\"");
    }

    @Test
    void aWrongMediaTypeGets406() throws Exception {
        for (String accept : new String[] {"application/json", "*/*", "application/taxii+json;version=2.0"}) {
            HttpResponse<String> r = raw(apiRoot.resolve("collections/"), accept, "Bearer vgl_acme_secret");
            assertThat(r.statusCode()).as(accept).isEqualTo(406);
        }
        assertThat(raw(apiRoot.resolve("collections/"), "application/taxii+json", "Bearer vgl_acme_secret")
                        .statusCode())
                .isEqualTo(200);
        assertThat(TaxiiServer.acceptsTaxii("application/json, application/taxii+json; version=\"2.1\""))
                .isTrue();
    }

    @Test
    void aTenantSeesOnlyItsOwnCollections() {
        TaxiiClient globex = client("vgl_globex_secret");
        assertThat(globex.collections(apiRoot)).extracting(TaxiiCollection::id).containsExactly(GLOBEX_COLLECTION);
        assertThatThrownBy(() -> globex.objects(apiRoot, INDICATORS, null, null, 10))
                .isInstanceOfSatisfying(
                        TaxiiException.class, e -> assertThat(e.status()).isEqualTo(404));
        List<ObjectNode> own =
                globex.objects(apiRoot, GLOBEX_COLLECTION, null, null, 10).objects();
        assertThat(own)
                .extracting(o -> o.get("id").asText())
                .containsExactly(indicator(9999, BASE).id());
    }

    @Test
    void anUnreadableCollectionGets403AndUnknownThings404() throws Exception {
        TaxiiClient c = client("vgl_acme_secret");
        assertThatThrownBy(() -> c.objects(apiRoot, RESTRICTED, null, null, 10))
                .isInstanceOfSatisfying(
                        TaxiiException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> c.collections(discovery.resolve("other/")))
                .isInstanceOfSatisfying(
                        TaxiiException.class, e -> assertThat(e.status()).isEqualTo(404));
        HttpResponse<String> r = raw(
                apiRoot.resolve("collections/" + INDICATORS + "/objects/indicator--nope/"),
                TaxiiServer.MEDIA_TYPE,
                "Bearer vgl_acme_secret");
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void objectByIdManifestAndMatchFilters() throws Exception {
        StixObject target = acmeObjects.get(123);
        String auth = "Bearer vgl_acme_secret";
        HttpResponse<String> one =
                raw(apiRoot.resolve("collections/" + INDICATORS + "/objects/" + target.id() + "/"), null, auth);
        assertThat(one.statusCode()).isEqualTo(406);
        one = raw(
                apiRoot.resolve("collections/" + INDICATORS + "/objects/" + target.id() + "/"),
                TaxiiServer.MEDIA_TYPE,
                auth);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains(target.json());
        assertThat(one.headers().firstValue("X-TAXII-Date-Added-First")).hasValue(TaxiiTime.format(target.dateAdded()));

        HttpResponse<String> matched = raw(
                apiRoot.resolve("collections/" + INDICATORS + "/objects/?match[id]=" + target.id() + ","
                        + acmeObjects.get(5).id() + "&match[type]=indicator"),
                TaxiiServer.MEDIA_TYPE,
                auth);
        assertThat(matched.body()).contains(target.id(), acmeObjects.get(5).id());
        assertThat(matched.body().split("\"type\":\"indicator\"")).hasSize(3);
        HttpResponse<String> none = raw(
                apiRoot.resolve("collections/" + INDICATORS + "/objects/?match[type]=malware"),
                TaxiiServer.MEDIA_TYPE,
                auth);
        assertThat(none.body()).isEqualTo("{\"more\":false,\"objects\":[]}");

        HttpResponse<String> manifest =
                raw(apiRoot.resolve("collections/" + INDICATORS + "/manifest/?limit=2"), TaxiiServer.MEDIA_TYPE, auth);
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.body())
                .startsWith("{\"more\":true,\"next\":")
                .contains("{\"id\":\"" + acmeObjects.get(0).id() + "\",\"date_added\":\""
                        + TaxiiTime.format(acmeObjects.get(0).dateAdded()) + "\",\"version\":\""
                        + acmeObjects.get(0).version() + "\",\"media_type\":\"application/stix+json;version=2.1\"}");

        HttpResponse<String> badDate = raw(
                apiRoot.resolve("collections/" + INDICATORS + "/objects/?added_after=yesterday"),
                TaxiiServer.MEDIA_TYPE,
                auth);
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(badDate.body()).contains("added_after is not an RFC 3339 timestamp");
    }

    @Test
    void aResponseOverTheLimitFailsWithTheUrl() {
        TaxiiClient small = TaxiiClient.builder()
                .bearerToken("vgl_acme_secret")
                .maxResponseBytes(4096)
                .build();
        assertThatThrownBy(() -> small.objects(apiRoot, INDICATORS, null, null, 100))
                .isInstanceOf(TaxiiException.class)
                .hasMessageContaining("larger than the limit of 4096 bytes")
                .hasMessageContaining(apiRoot.toString());
    }

    @Test
    void pagingTokensAreDistinctAndEveryIdComesOnce() {
        TaxiiClient c = client("vgl_acme_secret");
        HashSet<String> ids = new HashSet<>();
        c.poll(
                apiRoot,
                INDICATORS,
                null,
                13,
                p -> p.objects()
                        .forEach(o -> assertThat(ids.add(o.get("id").asText())).isTrue()));
        assertThat(ids).hasSize(300);
    }

    private static HttpResponse<String> raw(URI url, String accept, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
