package io.quarkiverse.ambrosia.runtime.rest;

import java.util.List;

/**
 * Reads RFC 7240 {@code Prefer} request headers: preferences separated by commas, possibly in several headers, each
 * a name with an optional {@code =value} and optional {@code ;parameters}.
 */
final class Preferences {

    private Preferences() {
    }

    /**
     * @return the preference's value, {@code ""} if it has none, or {@code null} if it is absent
     */
    static String value(List<String> prefer, String name) {
        if (prefer == null) {
            return null;
        }
        for (String header : prefer) {
            for (String preference : header.split(",")) {
                String[] parts = preference.split(";", 2)[0].split("=", 2);
                if (parts[0].trim().equalsIgnoreCase(name)) {
                    return parts.length == 2 ? parts[1].trim() : "";
                }
            }
        }
        return null;
    }
}
