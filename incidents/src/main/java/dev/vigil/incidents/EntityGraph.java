package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The entities of an incident's evidence events and how they relate: who logged on where, which process spawned which,
 * what connected to, wrote or resolved what. Each edge names the events behind it. Built by {@link EntityGraphBuilder};
 * exported as JSON by {@link IncidentJson#graph}.
 *
 * @param truncated whether limits dropped nodes, edges or event references (see the counts)
 */
public record EntityGraph(
        List<Node> nodes,
        List<Edge> edges,
        boolean truncated,
        long droppedNodes,
        long droppedEdges,
        long droppedEventReferences) {
    public EntityGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    public enum NodeType {
        HOST,
        USER,
        IP,
        PROCESS,
        FILE,
        DOMAIN
    }

    public enum EdgeKind {
        /** user → host, or the source ip → host, of a successful logon. */
        LOGGED_ON_TO,
        /** parent process → child process. */
        SPAWNED,
        /** process → host it ran on. */
        RAN_ON,
        /** process → user account it ran as. */
        RAN_AS,
        /** process or source ip → destination ip. */
        CONNECTED_TO,
        /** process → file it created or wrote. */
        WROTE,
        /** process, host or ip → domain it looked up. */
        RESOLVED
    }

    /**
     * @param id unique in the graph: the type and value ({@code host:ws01}); a process is an instance, {@code
     *     process:<host>:<pid>:<image>}
     * @param value the canonical entity value (for a process, its image path)
     * @param label short text for display (a process's file name and pid)
     */
    public record Node(String id, NodeType type, String value, String label) {
        public Node {
            requireNonNull(id, "id");
            requireNonNull(type, "type");
            requireNonNull(value, "value");
            requireNonNull(label, "label");
        }
    }

    /** @param events the sequence numbers of the events behind the edge, ascending, at most the builder's limit */
    public record Edge(String from, String to, EdgeKind kind, List<Long> events) {
        public Edge {
            requireNonNull(from, "from");
            requireNonNull(to, "to");
            requireNonNull(kind, "kind");
            events = List.copyOf(events);
        }
    }
}
