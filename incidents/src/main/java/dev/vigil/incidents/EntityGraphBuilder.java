package dev.vigil.incidents;

import static dev.vigil.core.alert.AlertEntities.first;
import static dev.vigil.core.alert.AlertEntities.strings;

import dev.vigil.core.Event;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.incidents.EntityGraph.Edge;
import dev.vigil.incidents.EntityGraph.EdgeKind;
import dev.vigil.incidents.EntityGraph.Node;
import dev.vigil.incidents.EntityGraph.NodeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds an {@link EntityGraph} from evidence events. What each kind of event contributes:
 *
 * <table>
 *   <caption>Edges from events</caption>
 *   <tr><th>event</th><th>edges</th></tr>
 *   <tr><td>process creation: Sysmon 1, Security 4688, ECS {@code event.category: process} with
 *       {@code event.type: start}</td><td>parent SPAWNED process; both RAN_ON the host; process RAN_AS the user</td></tr>
 *   <tr><td>network connection: Sysmon 3</td><td>process CONNECTED_TO destination ip; source ip CONNECTED_TO
 *       destination ip; process RAN_ON host</td></tr>
 *   <tr><td>any other event with a source and destination address (firewall, Zeek conn, Suricata, ECS
 *       {@code source.ip}/{@code destination.ip})</td><td>source ip CONNECTED_TO destination ip</td></tr>
 *   <tr><td>file creation: Sysmon 11, ECS {@code event.category: file}</td><td>process WROTE file</td></tr>
 *   <tr><td>DNS query: Sysmon 22</td><td>process RESOLVED domain</td></tr>
 *   <tr><td>DNS logs: {@code dns.question.name}, Zeek {@code query}</td><td>host (or the client ip) RESOLVED
 *       domain</td></tr>
 *   <tr><td>successful logon: Security 4624, ECS {@code event.category: authentication} with
 *       {@code event.outcome: success}</td><td>user LOGGED_ON_TO host; source ip LOGGED_ON_TO host</td></tr>
 * </table>
 *
 * Entity values are normalised as {@link EntityRef} does. Nodes, edges and the events listed per edge are capped; what
 * the caps drop is counted and the graph marked truncated. Not thread-safe.
 */
public final class EntityGraphBuilder {
    public static final int DEFAULT_MAX_NODES = 2_000;
    public static final int DEFAULT_MAX_EDGES = 5_000;
    public static final int DEFAULT_MAX_EVENTS_PER_EDGE = 100;

    private final int maxNodes;
    private final int maxEdges;
    private final int maxEventsPerEdge;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<EdgeKey, TreeSet<Long>> edges = new LinkedHashMap<>();
    private long droppedNodes;
    private long droppedEdges;
    private long droppedEventReferences;

    private record EdgeKey(String from, String to, EdgeKind kind) {}

    public EntityGraphBuilder() {
        this(DEFAULT_MAX_NODES, DEFAULT_MAX_EDGES, DEFAULT_MAX_EVENTS_PER_EDGE);
    }

    public EntityGraphBuilder(int maxNodes, int maxEdges, int maxEventsPerEdge) {
        if (maxNodes < 1 || maxEdges < 1 || maxEventsPerEdge < 1) {
            throw new IllegalArgumentException("graph limits must be at least 1");
        }
        this.maxNodes = maxNodes;
        this.maxEdges = maxEdges;
        this.maxEventsPerEdge = maxEventsPerEdge;
    }

    /** The graph of these events, with the default limits. */
    public static EntityGraph of(List<EvidenceEvent> events) {
        EntityGraphBuilder b = new EntityGraphBuilder();
        for (EvidenceEvent e : events) {
            b.add(e);
        }
        return b.build();
    }

    public EntityGraphBuilder add(EvidenceEvent evidence) {
        Event e = evidence.event();
        long seq = evidence.sequence();
        long eventId = eventId(e);
        Set<String> categories = e.logSource().categories();
        boolean sysmon = e.logSource().services().contains("sysmon")
                || first(e, "Channel")
                        .map(c -> c.toLowerCase(Locale.ROOT).contains("sysmon"))
                        .orElse(false);
        boolean security = e.logSource().services().contains("security")
                || first(e, "Channel").map(c -> c.equalsIgnoreCase("security")).orElse(false);
        Optional<Node> host = entityNode(NodeType.HOST, EntityType.HOST, e, "Computer", "host.name", "host.hostname");

        if (categories.contains("process_creation")
                || (sysmon && eventId == 1)
                || (security && eventId == 4688)
                || (has(e, "event.category", "process") && has(e, "event.type", "start"))) {
            processCreation(e, seq, host);
        } else if (categories.contains("network_connection") || (sysmon && eventId == 3)) {
            Optional<Node> process = process(e, host, "Image", "ProcessId");
            Optional<Node> dst = entityNode(NodeType.IP, EntityType.IP, e, "DestinationIp");
            edge(process, dst, EdgeKind.CONNECTED_TO, seq);
            edge(entityNode(NodeType.IP, EntityType.IP, e, "SourceIp"), dst, EdgeKind.CONNECTED_TO, seq);
            edge(process, host, EdgeKind.RAN_ON, seq);
        } else if (categories.contains("file_event") || (sysmon && eventId == 11) || has(e, "event.category", "file")) {
            Optional<Node> process = process(e, host, "Image", "ProcessId")
                    .or(() -> process(e, host, "process.executable", "process.pid"));
            edge(
                    process,
                    entityNode(NodeType.FILE, EntityType.FILE, e, "TargetFilename", "file.path"),
                    EdgeKind.WROTE,
                    seq);
            edge(process, host, EdgeKind.RAN_ON, seq);
        } else if (categories.contains("dns_query") || (sysmon && eventId == 22)) {
            Optional<Node> process = process(e, host, "Image", "ProcessId");
            edge(process, entityNode(NodeType.DOMAIN, EntityType.DOMAIN, e, "QueryName"), EdgeKind.RESOLVED, seq);
            edge(process, host, EdgeKind.RAN_ON, seq);
        } else if ((security && eventId == 4624)
                || (has(e, "event.category", "authentication") && has(e, "event.outcome", "success"))) {
            Optional<Node> user =
                    user(e, "TargetUserName", "TargetDomainName").or(() -> user(e, "user.name", "user.domain"));
            edge(user, host, EdgeKind.LOGGED_ON_TO, seq);
            edge(entityNode(NodeType.IP, EntityType.IP, e, "IpAddress", "source.ip"), host, EdgeKind.LOGGED_ON_TO, seq);
        } else {
            Optional<Node> domain = entityNode(NodeType.DOMAIN, EntityType.DOMAIN, e, "dns.question.name", "query");
            Optional<Node> client =
                    entityNode(NodeType.IP, EntityType.IP, e, "source.ip", "id.orig_h", "src_ip", "SourceIp");
            if (domain.isPresent()) {
                edge(host.isPresent() ? host : client, domain, EdgeKind.RESOLVED, seq);
            }
            Optional<Node> server = entityNode(
                    NodeType.IP, EntityType.IP, e, "destination.ip", "id.resp_h", "dest_ip", "DestinationIp");
            edge(client, server, EdgeKind.CONNECTED_TO, seq);
        }
        return this;
    }

    private void processCreation(Event e, long seq, Optional<Node> host) {
        Optional<Node> child;
        Optional<Node> parent;
        Optional<Node> user;
        if (e.hasField("NewProcessName")) {
            // Security 4688: the creator is ProcessId, the new process NewProcessId.
            child = process(e, host, "NewProcessName", "NewProcessId");
            parent = process(e, host, "ParentProcessName", "ProcessId");
            user = user(e, "SubjectUserName", "SubjectDomainName");
        } else if (e.hasField("Image")) {
            child = process(e, host, "Image", "ProcessId");
            parent = process(e, host, "ParentImage", "ParentProcessId");
            user = entityNode(NodeType.USER, EntityType.USER, e, "User");
        } else {
            child = process(e, host, "process.executable", "process.pid");
            parent = process(e, host, "process.parent.executable", "process.parent.pid");
            user = user(e, "user.name", "user.domain");
        }
        edge(parent, child, EdgeKind.SPAWNED, seq);
        edge(child, host, EdgeKind.RAN_ON, seq);
        edge(parent, host, EdgeKind.RAN_ON, seq);
        edge(child, user, EdgeKind.RAN_AS, seq);
    }

    public EntityGraph build() {
        List<Edge> out = new ArrayList<>(edges.size());
        for (Map.Entry<EdgeKey, TreeSet<Long>> e : edges.entrySet()) {
            out.add(new Edge(e.getKey().from(), e.getKey().to(), e.getKey().kind(), new ArrayList<>(e.getValue())));
        }
        return new EntityGraph(
                new ArrayList<>(nodes.values()),
                out,
                droppedNodes + droppedEdges + droppedEventReferences > 0,
                droppedNodes,
                droppedEdges,
                droppedEventReferences);
    }

    // ---------------------------------------------------------------- nodes and edges

    private void edge(Optional<Node> from, Optional<Node> to, EdgeKind kind, long seq) {
        if (from.isEmpty() || to.isEmpty() || from.get().id().equals(to.get().id())) {
            return;
        }
        EdgeKey key = new EdgeKey(from.get().id(), to.get().id(), kind);
        TreeSet<Long> events = edges.get(key);
        if (events == null) {
            if (edges.size() >= maxEdges || !addNode(from.get()) || !addNode(to.get())) {
                droppedEdges++;
                return;
            }
            events = new TreeSet<>();
            edges.put(key, events);
        }
        if (events.size() < maxEventsPerEdge) {
            events.add(seq);
        } else if (!events.contains(seq)) {
            droppedEventReferences++;
        }
    }

    private boolean addNode(Node node) {
        if (nodes.containsKey(node.id())) {
            return true;
        }
        if (nodes.size() >= maxNodes) {
            droppedNodes++;
            return false;
        }
        nodes.put(node.id(), node);
        return true;
    }

    private static Optional<Node> entityNode(NodeType nodeType, EntityType type, Event e, String... fields) {
        for (String f : fields) {
            for (String v : strings(e.field(f))) {
                Optional<EntityRef> ref = EntityRef.of(type, v);
                if (ref.isPresent()) {
                    return Optional.of(node(nodeType, ref.get().value()));
                }
            }
        }
        return Optional.empty();
    }

    private static Node node(NodeType type, String value) {
        return new Node(type.name().toLowerCase(Locale.ROOT) + ":" + value, type, value, value);
    }

    private static Optional<Node> user(Event e, String nameField, String domainField) {
        Optional<String> name = first(e, nameField);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        return EntityRef.user(name.get(), first(e, domainField).orElse(null)).map(u -> node(NodeType.USER, u.value()));
    }

    private static Optional<Node> process(Event e, Optional<Node> host, String imageField, String pidField) {
        Optional<EntityRef> image = first(e, imageField).flatMap(v -> EntityRef.of(EntityType.PROCESS, v));
        if (image.isEmpty()) {
            return Optional.empty();
        }
        String pid = first(e, pidField).map(String::strip).orElse("?");
        String path = image.get().value();
        String hostName = host.map(Node::value).orElse("");
        int slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        String label = path.substring(slash + 1) + " (" + pid + ")";
        return Optional.of(new Node("process:" + hostName + ":" + pid + ":" + path, NodeType.PROCESS, path, label));
    }

    private static long eventId(Event e) {
        Object v = e.field("EventID");
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException ignored) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean has(Event e, String field, String value) {
        for (String s : strings(e.field(field))) {
            if (s.equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }
}
