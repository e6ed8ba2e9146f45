package dev.vigil.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL relation of a field's values among some rows, one row per value ({@code v}), each element of a list on its
 * own row: what {@link EventStore#countBy} counts and what {@link EventRollup} keeps per hour, written once so that
 * the two can never count differently.
 */
final class FieldValues {
    private FieldValues() {}

    /**
     * @param fromWhere {@code " FROM ... WHERE ..."} selecting the rows
     * @param fromWhereParams its parameters
     * @param carried columns to carry beside {@code v}, each {@code "expression AS name"} (evaluated over the rows)
     */
    static QuerySql.Condition of(String field, String fromWhere, List<Object> fromWhereParams, List<String> carried) {
        StringBuilder inner = new StringBuilder();
        StringBuilder outer = new StringBuilder();
        for (String c : carried) {
            inner.append(c).append(", ");
            outer.append(c.substring(c.lastIndexOf(" AS ") + 4)).append(", ");
        }
        QuerySql.Condition json = QuerySql.jsonValueOf(field);
        String jsonValues = "SELECT " + outer + "unnest(vigil_values(j)) AS v FROM (SELECT " + inner + json.sql()
                + " AS j" + fromWhere;
        List<Object> params = new ArrayList<>();
        if (field.equals("@timestamp")) {
            params.addAll(fromWhereParams);
            return new QuerySql.Condition(
                    "SELECT " + inner + "strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS v" + fromWhere, params);
        }
        PromotedField promoted = QuerySql.promoted(field);
        if (promoted == null) {
            params.addAll(json.params());
            params.addAll(fromWhereParams);
            return new QuerySql.Condition(jsonValues + ")", params);
        }
        // The promoted column directly where it holds the value: no JSON on the common path.
        params.addAll(fromWhereParams);
        params.addAll(json.params());
        params.addAll(fromWhereParams);
        String column = promoted.column();
        return new QuerySql.Condition(
                "SELECT " + inner + "CAST(" + column + " AS VARCHAR) AS v" + fromWhere + " AND " + column
                        + " IS NOT NULL UNION ALL " + jsonValues + " AND " + column + " IS NULL AND overflow)",
                params);
    }
}
