package dev.vigil.intel;

/** The kinds of observable an indicator names. */
public enum IndicatorType {
    IPV4,
    IPV6,
    /** An IPv4 or IPv6 network in CIDR notation; a /32 (or /128) is stored as the single address instead. */
    CIDR,
    /** A domain name; it also matches every subdomain. */
    DOMAIN,
    URL,
    MD5,
    SHA1,
    SHA256,
    EMAIL,
    /** A file's base name, compared without regard to case (Windows file names are case-insensitive). */
    FILE_NAME;

    /** Whether this is one of the file-hash types. */
    public boolean isHash() {
        return this == MD5 || this == SHA1 || this == SHA256;
    }
}
