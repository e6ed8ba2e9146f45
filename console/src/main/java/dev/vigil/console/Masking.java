package dev.vigil.console;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * How configured addresses are shown without the secrets they may carry: user names and passwords in the authority,
 * API keys in query strings, and robot tokens in the paths of chat webhooks (DingTalk, WeCom, Feishu).
 */
public final class Masking {
    /** What stands for a removed part. */
    public static final String HIDDEN = "…";

    private Masking() {}

    /** Scheme, host, port and path; the user info, query and fragment are replaced by {@link #HIDDEN}. */
    public static String url(String url) {
        URI u = parse(url);
        if (u == null) {
            return HIDDEN;
        }
        StringBuilder out = new StringBuilder();
        out.append(u.getScheme()).append("://");
        if (u.getRawUserInfo() != null) {
            out.append(HIDDEN).append('@');
        }
        out.append(u.getHost());
        if (u.getPort() >= 0) {
            out.append(':').append(u.getPort());
        }
        out.append(u.getRawPath() == null ? "" : u.getRawPath());
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            out.append('?').append(HIDDEN);
        }
        return out.toString();
    }

    /** Scheme, host and port only; anything after them becomes {@link #HIDDEN}. */
    public static String origin(String url) {
        URI u = parse(url);
        if (u == null) {
            return HIDDEN;
        }
        String origin = u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
        boolean more = u.getRawUserInfo() != null
                || (u.getRawPath() != null
                        && !u.getRawPath().isEmpty()
                        && !u.getRawPath().equals("/"))
                || u.getRawQuery() != null
                || u.getRawFragment() != null;
        return more ? origin + "/" + HIDDEN : origin;
    }

    /** An absolute URL with a host, or null (then nothing of it is shown: it may be all secret). */
    private static URI parse(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = new URI(url.strip());
            return u.getScheme() == null || u.getHost() == null ? null : u;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
