package dev.vigil.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.search.Query.And;
import dev.vigil.search.Query.Exists;
import dev.vigil.search.Query.MatchAll;
import dev.vigil.search.Query.Or;
import dev.vigil.search.Query.Term;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryPrinterTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '#',
            quoteCharacter = '`',
            value = {
                "ssh root                                  # ssh AND root",
                "a || b && !c                              # a OR b AND NOT c",
                "(a OR b) c                                # (a OR b) AND c",
                "a AND (b AND c)                           # a AND (b AND c)",
                "NOT (a b)                                 # NOT (a AND b)",
                "EventID:(4624 OR 4625)                    # EventID:4624 OR EventID:4625",
                "user.name : \"j doe\"                     # user.name:\"j doe\"",
                "name:John\\ Smith                         # name:John\\ Smith",
                "bytes:{10 to 20]                          # bytes:{10 TO 20]",
                "bytes:[10 TO *]                           # bytes:[10 TO *]",
                "bytes:>=10                                # bytes>=10",
                "t < \"2024-05-01T10:00:00Z\"               # t<\"2024-05-01T10:00:00Z\"",
                "_exists_:host                             # host:*",
                "ip:2001\\:db8\\:\\:/32                    # ip:\"2001:db8::/32\"",
                "ip:10.0.0.0/8                             # ip:10.0.0.0/8",
                "note:10.0.0.0\\/8                         # note:10.0.0.0\\/8",
                "\\-x                                      # \\-x",
                "f:-x                                      # f:-x",
                "f:a\\*b*                                  # f:a\\*b*",
                "``                                        # *",
            })
    void canonicalText(String query, String canonical) {
        assertThat(QueryPrinter.print(QueryParser.parse(query))).isEqualTo(canonical);
    }

    @Test
    void handBuiltTreesTheSyntaxCannotExpressPrintAsTheNearestText() {
        assertThat(QueryPrinter.print(new And(List.of()))).isEqualTo("*");
        assertThat(QueryPrinter.print(new Or(List.of()))).isEqualTo("NOT *");
        assertThat(QueryPrinter.print(new Or(List.of(new Exists("f"))))).isEqualTo("f:*");
        assertThat(QueryPrinter.print(new Term("f", ""))).isEqualTo("f:\"\"");
        assertThat(QueryParser.parse(QueryPrinter.print(new And(List.of(new MatchAll(), new Term(null, "x"))))))
                .isEqualTo(new And(List.of(new MatchAll(), new Term(null, "x"))));
    }
}
