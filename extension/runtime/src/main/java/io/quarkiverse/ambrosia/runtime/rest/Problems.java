package io.quarkiverse.ambrosia.runtime.rest;

import jakarta.ws.rs.core.Response;

/**
 * RFC 9457 problem details, written without a JSON library so they work whatever the application serializes with.
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:quarkus-ambrosia:problem:";

    private Problems() {
    }

    static Response.ResponseBuilder problem(int status, String type, String title, String detail) {
        return problem(status, type, title, detail, null);
    }

    /**
     * @param field the request field (JSON path in the body, or parameter) the problem is about, or {@code null}
     */
    static Response.ResponseBuilder problem(int status, String type, String title, String detail, String field) {
        String body = "{\"type\":\"" + TYPE_PREFIX + type + "\",\"title\":" + quote(title) + ",\"status\":" + status
                + ",\"detail\":" + quote(detail) + (field == null ? "" : ",\"field\":" + quote(field)) + "}";
        return Response.status(status).type(MEDIA_TYPE).entity(body);
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
