package dev.vigil.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.search.Query.And;
import dev.vigil.search.Query.Cidr;
import dev.vigil.search.Query.Exists;
import dev.vigil.search.Query.MatchAll;
import dev.vigil.search.Query.Not;
import dev.vigil.search.Query.Or;
import dev.vigil.search.Query.Phrase;
import dev.vigil.search.Query.Range;
import dev.vigil.search.Query.Term;
import dev.vigil.search.Query.Wildcard;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryParserTest {

    private static Query parse(String text) {
        return QueryParser.parse(text);
    }

    private static Term term(String field, String value) {
        return new Term(field, value);
    }

    private static QuerySyntaxException syntaxError(String text) {
        return catchThrowableOfType(QuerySyntaxException.class, () -> QueryParser.parse(text));
    }

    @Test
    void emptyAndBlankQueriesMatchAll() {
        assertThat(parse("")).isEqualTo(new MatchAll());
        assertThat(parse("  \t\n")).isEqualTo(new MatchAll());
        assertThat(parse("*")).isEqualTo(new MatchAll());
        assertThat(parse("*:*")).isEqualTo(new MatchAll());
    }

    @Test
    void fieldValue() {
        assertThat(parse("user.name:alice")).isEqualTo(term("user.name", "alice"));
        assertThat(parse("EventID:4625")).isEqualTo(term("EventID", "4625"));
    }

    @Test
    void fieldNamesWithDotsAtSignsUnderscoresAndHyphens() {
        assertThat(parse("@metadata.beat_name-x:v")).isEqualTo(term("@metadata.beat_name-x", "v"));
        assertThat(parse("winlog.event_data.SubjectUserName:SYSTEM"))
                .isEqualTo(term("winlog.event_data.SubjectUserName", "SYSTEM"));
    }

    @Test
    void spacesAroundTheColonAreAllowed() {
        assertThat(parse("status : 404")).isEqualTo(term("status", "404"));
    }

    @Test
    void quotedPhraseWithField() {
        assertThat(parse("message:\"failed password\"")).isEqualTo(new Phrase("message", "failed password"));
    }

    @Test
    void bareTermsAndPhrasesSearchAnyField() {
        assertThat(parse("mimikatz")).isEqualTo(term(null, "mimikatz"));
        assertThat(parse("\"lsass.exe dump\"")).isEqualTo(new Phrase(null, "lsass.exe dump"));
    }

    @Test
    void hyphensAndBangsInsideWordsAreLiteral() {
        assertThat(parse("host:web-01")).isEqualTo(term("host", "web-01"));
        assertThat(parse("web-01")).isEqualTo(term(null, "web-01"));
        assertThat(parse("count:-5")).isEqualTo(term("count", "-5"));
        assertThat(parse("hello!")).isEqualTo(term(null, "hello!"));
    }

    @Test
    void wildcards() {
        assertThat(parse("process.name:power*")).isEqualTo(new Wildcard("process.name", "power*"));
        assertThat(parse("file:report-??.pdf")).isEqualTo(new Wildcard("file", "report-??.pdf"));
        assertThat(parse("mimi*")).isEqualTo(new Wildcard(null, "mimi*"));
    }

    @Test
    void fieldStarAndExistsMeanTheFieldIsPresent() {
        assertThat(parse("user.name:*")).isEqualTo(new Exists("user.name"));
        assertThat(parse("_exists_:user.name")).isEqualTo(new Exists("user.name"));
        assertThat(parse("user.name:(*)")).isEqualTo(new Exists("user.name"));
    }

    @Test
    void escapes() {
        assertThat(parse("url:http\\://x")).isEqualTo(term("url", "http://x"));
        assertThat(parse("name:a\\*b")).isEqualTo(term("name", "a*b"));
        assertThat(parse("name:a\\*b*")).isEqualTo(new Wildcard("name", "a\\*b*"));
        assertThat(parse("path:C\\:\\\\Windows\\\\*")).isEqualTo(new Wildcard("path", "C:\\\\Windows\\\\*"));
        assertThat(parse("title:\"say \\\"hi\\\"\"")).isEqualTo(new Phrase("title", "say \"hi\""));
        assertThat(parse("path:a\\\\b")).isEqualTo(term("path", "a\\b"));
        assertThat(parse("name:John\\ Smith")).isEqualTo(term("name", "John Smith"));
        assertThat(parse("\\*")).isEqualTo(term(null, "*"));
        assertThat(parse("a\\:b")).isEqualTo(term(null, "a:b"));
    }

    @Test
    void escapedOperatorWordsAreTerms() {
        assertThat(parse("\\and")).isEqualTo(term(null, "and"));
        assertThat(parse("\\NOT")).isEqualTo(term(null, "NOT"));
        assertThat(parse("\\-x")).isEqualTo(term(null, "-x"));
        assertThat(parse("\\_exists_:x")).isEqualTo(term("_exists_", "x"));
    }

    @Test
    void operatorWordsFollowedByAColonAreFieldNames() {
        assertThat(parse("and:x")).isEqualTo(term("and", "x"));
        assertThat(parse("a not:x")).isEqualTo(new And(List.of(term(null, "a"), term("not", "x"))));
        assertThat(parse("orange OR notes")).isEqualTo(new Or(List.of(term(null, "orange"), term(null, "notes"))));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"a AND b", "a and b", "a && b", "a&&b", "a b", "a +b", "+a +b"})
    void andForms(String text) {
        assertThat(parse(text)).isEqualTo(new And(List.of(term(null, "a"), term(null, "b"))));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '#',
            value = {"a OR b", "a or b", "a || b", "a||b"})
    void orForms(String text) {
        assertThat(parse(text)).isEqualTo(new Or(List.of(term(null, "a"), term(null, "b"))));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"NOT a", "not a", "!a", "! a", "-a", "NOT(a)", "-(a)"})
    void notForms(String text) {
        assertThat(parse(text)).isEqualTo(new Not(term(null, "a")));
    }

    @Test
    void luceneMinusExcludes() {
        assertThat(parse("ssh -root")).isEqualTo(new And(List.of(term(null, "ssh"), new Not(term(null, "root")))));
        assertThat(parse("+user:x -user:y")).isEqualTo(new And(List.of(term("user", "x"), new Not(term("user", "y")))));
    }

    @Test
    void precedenceIsNotThenAndThenOr() {
        assertThat(parse("a OR b AND NOT c"))
                .isEqualTo(new Or(List.of(
                        term(null, "a"), new And(List.of(term(null, "b"), new Not(term(null, "c")))))));
        assertThat(parse("a AND b OR c"))
                .isEqualTo(new Or(List.of(new And(List.of(term(null, "a"), term(null, "b"))), term(null, "c"))));
        assertThat(parse("a OR b c"))
                .isEqualTo(new Or(List.of(term(null, "a"), new And(List.of(term(null, "b"), term(null, "c"))))));
    }

    @Test
    void parenthesesGroupAndKeepTheirNesting() {
        assertThat(parse("(a OR b) AND c"))
                .isEqualTo(new And(List.of(new Or(List.of(term(null, "a"), term(null, "b"))), term(null, "c"))));
        assertThat(parse("a AND (b AND c)"))
                .isEqualTo(new And(List.of(term(null, "a"), new And(List.of(term(null, "b"), term(null, "c"))))));
        assertThat(parse("((a))")).isEqualTo(term(null, "a"));
    }

    @Test
    void fieldGroupsApplyTheFieldToEveryClause() {
        assertThat(parse("EventID:(4624 OR 4625)"))
                .isEqualTo(new Or(List.of(term("EventID", "4624"), term("EventID", "4625"))));
        assertThat(parse("user:(alice bob)")).isEqualTo(new And(List.of(term("user", "alice"), term("user", "bob"))));
        assertThat(parse("user:(NOT admin* AND \"j doe\")"))
                .isEqualTo(new And(List.of(new Not(new Wildcard("user", "admin*")), new Phrase("user", "j doe"))));
        assertThat(parse("n:(>=10 AND <20)"))
                .isEqualTo(new And(
                        List.of(new Range("n", "10", true, null, false), new Range("n", null, false, "20", false))));
        assertThat(parse("ip:(10.0.0.0/8 OR [1 TO 2])"))
                .isEqualTo(new Or(List.of(new Cidr("ip", "10.0.0.0/8"), new Range("ip", "1", true, "2", true))));
    }

    @Test
    void ranges() {
        assertThat(parse("bytes:[10 TO 20]")).isEqualTo(new Range("bytes", "10", true, "20", true));
        assertThat(parse("bytes:{10 TO 20}")).isEqualTo(new Range("bytes", "10", false, "20", false));
        assertThat(parse("bytes:[10 TO 20}")).isEqualTo(new Range("bytes", "10", true, "20", false));
        assertThat(parse("bytes:{10 to 20]")).isEqualTo(new Range("bytes", "10", false, "20", true));
        assertThat(parse("bytes:[10 TO *]")).isEqualTo(new Range("bytes", "10", true, null, true));
        assertThat(parse("bytes:[* TO 20}")).isEqualTo(new Range("bytes", null, true, "20", false));
        assertThat(parse("@timestamp:[\"2024-01-01T00:00:00Z\" TO 2024-02-01]"))
                .isEqualTo(new Range("@timestamp", "2024-01-01T00:00:00Z", true, "2024-02-01", true));
        assertThat(parse("n:[-5 TO \"*\"]")).isEqualTo(new Range("n", "-5", true, "*", true));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "n>=10|10|true|   |false",
                "n >= 10|10|true|   |false",
                "n>10|10|false|   |false",
                "n<5|   |false|5|false",
                "n <= 5|   |false|5|true",
                "n:>=10|10|true|   |false",
                "n:<-1.5|   |false|-1.5|false",
            })
    void comparisons(String text, String lower, boolean lowerInclusive, String upper, boolean upperInclusive) {
        assertThat(parse(text)).isEqualTo(new Range("n", lower, lowerInclusive, upper, upperInclusive));
    }

    @Test
    void cidrBlocks() {
        assertThat(parse("source.ip:10.0.0.0/8")).isEqualTo(new Cidr("source.ip", "10.0.0.0/8"));
        assertThat(parse("source.ip:\"2001:db8::/32\"")).isEqualTo(new Cidr("source.ip", "2001:db8::/32"));
        assertThat(parse("source.ip:2001\\:db8\\:\\:/32")).isEqualTo(new Cidr("source.ip", "2001:db8::/32"));
        assertThat(parse("source.ip:10.0.0.0\\/8")).isEqualTo(term("source.ip", "10.0.0.0/8"));
        assertThat(parse("source.ip:10.0.0.1")).isEqualTo(term("source.ip", "10.0.0.1"));
        assertThat(parse("path:a/b")).isEqualTo(term("path", "a/b"));
        assertThat(parse("x:1.2.3.4/33")).isEqualTo(term("x", "1.2.3.4/33"));
        assertThat(parse("10.0.0.0/8")).isEqualTo(term(null, "10.0.0.0/8"));
    }

    @Test
    void unicodeIsOrdinaryText() {
        assertThat(parse("user:Müller")).isEqualTo(term("user", "Müller"));
        assertThat(parse("\"日本 語\"")).isEqualTo(new Phrase(null, "日本 語"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "(a OR b|7|expected ')' at column 7 to close the '(' at column 0",
                "a AND (b OR (c)|15|expected ')' at column 15 to close the '(' at column 6",
                "a)|1|unexpected ')' with no '(' before it at column 1",
                "\"open phrase|0|unterminated phrase: the '\"' at column 0 has no closing '\"'",
                "msg:\"abc|4|unterminated phrase: the '\"' at column 4 has no closing '\"'",
                "a AND|5|expected a clause after 'AND' at column 5",
                "a OR OR b|5|expected a clause after 'OR' at column 5",
                "AND a|0|expected a clause before 'AND' at column 0",
                "NOT|3|expected a clause after 'NOT' at column 3",
                "a -|3|expected a clause after '-' at column 3",
                "()|0|empty parentheses at column 0",
                "f:|2|expected a value after 'f:' at column 2",
                "f: )|3|expected a value after 'f:' at column 3",
                "f:a:b|3|unexpected ':' at column 3; escape it as '\\:' or quote the value",
                ":a|0|unexpected ':' at column 0; escape it as '\\:' or quote the value",
                "[1 TO 2]|0|a range needs a field: write field:[low TO high] at column 0",
                ">5|0|a comparison needs a field: write field>value at column 0",
                "f:[1 2]|5|expected 'TO' at column 5 in the range opened at column 2",
                "f:[1 TO 2|9|expected ']' or '}' at column 9 to close the range opened at column 2",
                "f:[1 TO]|7|expected an upper bound after 'TO' at column 7",
                "f:[a* TO b]|3|wildcards are not allowed in a range bound ('a*'); use '*' alone for an open end at column 3",
                "f>=|3|expected a value after '>=' at column 3",
                "f>a*|2|wildcards are not allowed after '>' ('a*') at column 2",
                "a*:x|0|wildcards are not allowed in a field name ('a*') at column 0; escape them as '\\*' and '\\?' if the name contains them",
                "*:x|2|only '*:*' may use '*' as a field name at column 2",
                "_exists_:|9|expected a field name after '_exists_:' at column 9",
                "f:(a OR g:b)|8|the field group of 'f' cannot name another field ('g') at column 8",
                "abc\\|3|a backslash ends the query; write '\\\\' for a literal backslash at column 3",
                "a ]|2|unexpected ']' at column 2",
            })
    void syntaxErrorsNameTheProblemAndItsColumn(String text, int position, String message) {
        QuerySyntaxException e = syntaxError(text);
        assertThat(e).as(text).isNotNull();
        assertThat(e.position()).as(text).isEqualTo(position);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void theLengthLimitIs16KiB() {
        String atLimit = "a ".repeat(QueryParser.MAX_LENGTH / 2 - 1) + "b";
        assertThat(atLimit).hasSizeLessThanOrEqualTo(QueryParser.MAX_LENGTH);
        assertThat(parse(atLimit)).isInstanceOf(And.class);
        QuerySyntaxException e = syntaxError("x".repeat(QueryParser.MAX_LENGTH + 1));
        assertThat(e.position()).isEqualTo(QueryParser.MAX_LENGTH);
        assertThat(e.getMessage()).startsWith("the query is 16385 characters long; at most 16384 are allowed");
    }

    @Test
    void theDepthLimitIs64() {
        String deepest = "(".repeat(64) + "a" + ")".repeat(64);
        assertThat(parse(deepest)).isEqualTo(term(null, "a"));
        QuerySyntaxException e = syntaxError("(".repeat(65) + "a" + ")".repeat(65));
        assertThat(e.position()).isEqualTo(64);
        assertThat(e.getMessage()).isEqualTo("the query nests more than 64 levels deep at column 64");
        assertThat(syntaxError("NOT ".repeat(65) + "a").position()).isEqualTo(256);
        assertThat(syntaxError("f:" + "(".repeat(65) + "a" + ")".repeat(65)).position())
                .isEqualTo(66);
    }

    @Test
    void hostileInputEndsInASyntaxErrorNotAStackOverflow() {
        String megabyte = "a".repeat(1 << 20);
        List<String> hostile = List.of(
                megabyte,
                "(".repeat(1 << 20),
                "(".repeat(QueryParser.MAX_LENGTH),
                "-".repeat(QueryParser.MAX_LENGTH) + "a",
                "!".repeat(QueryParser.MAX_LENGTH - 1) + "a",
                "+".repeat(QueryParser.MAX_LENGTH - 1) + "a",
                "NOT ".repeat(4000) + "a",
                "f:" + "(".repeat(8000),
                ")".repeat(8000),
                "\"".repeat(8001),
                "a:\"" + "b".repeat(8000),
                "(a OR \"b)".repeat(1501),
                "[".repeat(8000),
                "\\".repeat(8001));
        for (String text : hostile) {
            assertThatThrownBy(() -> QueryParser.parse(text))
                    .as("%.40s…", text)
                    .isInstanceOf(QuerySyntaxException.class);
        }
    }

    @Test
    void longFlatQueriesWithinTheLimitParse() {
        String manyOrs = String.join(" OR ", java.util.Collections.nCopies(3000, "x"));
        assertThat(parse(manyOrs))
                .isInstanceOfSatisfying(Or.class, or -> assertThat(or.clauses()).hasSize(3000));
    }
}
