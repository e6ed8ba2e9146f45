package dev.vigil.intel.csv;

import dev.vigil.intel.IndicatorType;
import java.time.Duration;

/**
 * How the columns of a CSV feed (or the lines of a plain list) map to indicators. A column is named by its header
 * or, when the name is a number, by its 1-based position.
 *
 * @param value the column holding the indicator value (required)
 * @param type the column holding the value's type (abuse.ch {@code ioc_type}: {@code ip:port}, {@code domain}, {@code
 *     url}, {@code md5_hash}, {@code sha256_hash} …), or {@code null}
 * @param fixedType the type of every value, or {@code null} to read it from {@code type} or guess it per value
 * @param id the column holding an id for the source, or {@code null} (the line number is used)
 * @param firstSeen the column holding when the feed first saw the value, or {@code null}
 * @param lastSeen the column holding when the feed last saw it, or {@code null}
 * @param validUntil the column holding an expiry time, or {@code null}
 * @param validFor when set and no expiry column is given, indicators expire this long after last seen (or first seen):
 *     a blocklist's entries age out unless the next import renews them
 * @param tags the column holding tags ({@code ,}, {@code ;} or {@code |} separated), or {@code null}
 * @param malware the column holding a malware family, or {@code null}
 * @param delimiter the field separator; {@code 0} for a plain list (the whole line is the value)
 * @param header whether a header line names the columns; it may itself be a comment ({@code # id,dateadded,url}): the
 *     header is the first line, commented or not, that names the value column
 * @param confidence the confidence given to every indicator (0-100), or -1 for unknown
 */
public record CsvMapping(
        String value,
        String type,
        IndicatorType fixedType,
        String id,
        String firstSeen,
        String lastSeen,
        String validUntil,
        Duration validFor,
        String tags,
        String malware,
        char delimiter,
        boolean header,
        int confidence) {
    public CsvMapping {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a CSV mapping needs the value column");
        }
        if (confidence < -1 || confidence > 100) {
            throw new IllegalArgumentException("confidence must be 0 to 100 or -1: " + confidence);
        }
    }

    /** A plain list: one value per line, {@code #} comments, the type fixed or (when {@code null}) guessed per line. */
    public static CsvMapping plainList(IndicatorType type) {
        return new CsvMapping("1", null, type, null, null, null, null, null, null, null, '\0', false, -1);
    }

    /**
     * The abuse.ch Feodo Tracker IP blocklist: {@code first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware}.
     */
    public static CsvMapping feodoTracker() {
        return new CsvMapping(
                "dst_ip",
                null,
                null,
                null,
                "first_seen_utc",
                "last_online",
                null,
                null,
                null,
                "malware",
                ',',
                true,
                -1);
    }

    /** A mapping with a value column and a header, everything else to be set with the {@code with…} methods. */
    public static CsvMapping of(String valueColumn) {
        return new CsvMapping(valueColumn, null, null, null, null, null, null, null, null, null, ',', true, -1);
    }

    public CsvMapping withType(String column) {
        return new CsvMapping(
                value,
                column,
                fixedType,
                id,
                firstSeen,
                lastSeen,
                validUntil,
                validFor,
                tags,
                malware,
                delimiter,
                header,
                confidence);
    }

    public CsvMapping withFixedType(IndicatorType t) {
        return new CsvMapping(
                value,
                type,
                t,
                id,
                firstSeen,
                lastSeen,
                validUntil,
                validFor,
                tags,
                malware,
                delimiter,
                header,
                confidence);
    }

    public CsvMapping withId(String column) {
        return new CsvMapping(
                value,
                type,
                fixedType,
                column,
                firstSeen,
                lastSeen,
                validUntil,
                validFor,
                tags,
                malware,
                delimiter,
                header,
                confidence);
    }

    public CsvMapping withSeen(String firstSeenColumn, String lastSeenColumn) {
        return new CsvMapping(
                value,
                type,
                fixedType,
                id,
                firstSeenColumn,
                lastSeenColumn,
                validUntil,
                validFor,
                tags,
                malware,
                delimiter,
                header,
                confidence);
    }

    public CsvMapping withValidUntil(String column) {
        return new CsvMapping(
                value,
                type,
                fixedType,
                id,
                firstSeen,
                lastSeen,
                column,
                validFor,
                tags,
                malware,
                delimiter,
                header,
                confidence);
    }

    public CsvMapping withValidFor(Duration d) {
        return new CsvMapping(
                value,
                type,
                fixedType,
                id,
                firstSeen,
                lastSeen,
                validUntil,
                d,
                tags,
                malware,
                delimiter,
                header,
                confidence);
    }

    public CsvMapping withTags(String column) {
        return new CsvMapping(
                value,
                type,
                fixedType,
                id,
                firstSeen,
                lastSeen,
                validUntil,
                validFor,
                column,
                malware,
                delimiter,
                header,
                confidence);
    }

    public CsvMapping withMalware(String column) {
        return new CsvMapping(
                value,
                type,
                fixedType,
                id,
                firstSeen,
                lastSeen,
                validUntil,
                validFor,
                tags,
                column,
                delimiter,
                header,
                confidence);
    }

    public CsvMapping withDelimiter(char d) {
        return new CsvMapping(
                value,
                type,
                fixedType,
                id,
                firstSeen,
                lastSeen,
                validUntil,
                validFor,
                tags,
                malware,
                d,
                header,
                confidence);
    }

    public CsvMapping withHeader(boolean h) {
        return new CsvMapping(
                value,
                type,
                fixedType,
                id,
                firstSeen,
                lastSeen,
                validUntil,
                validFor,
                tags,
                malware,
                delimiter,
                h,
                confidence);
    }

    public CsvMapping withConfidence(int c) {
        return new CsvMapping(
                value,
                type,
                fixedType,
                id,
                firstSeen,
                lastSeen,
                validUntil,
                validFor,
                tags,
                malware,
                delimiter,
                header,
                c);
    }
}
