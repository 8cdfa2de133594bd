package io.roentgen.server.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed Content-Type: {@code type/subtype; name=value; name="quoted value"}. Type, subtype and
 * parameter names are lower-cased; values keep their case (boundaries are case-sensitive).
 */
public record MediaType(String type, String subtype, Map<String, String> parameters) {

    /** Parses a header value; null when it is absent or not {@code type/subtype}. */
    public static MediaType parse(String header) {
        if (header == null) {
            return null;
        }
        int semicolon = header.indexOf(';');
        String essence = (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        int slash = essence.indexOf('/');
        if (slash <= 0 || slash == essence.length() - 1) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = semicolon < 0 ? header.length() : semicolon + 1;
        while (i < header.length()) {
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            while (j < header.length() && header.charAt(j) == ' ') {
                j++;
            }
            if (j < header.length() && header.charAt(j) == '"') {
                j++;
                while (j < header.length() && header.charAt(j) != '"') {
                    char c = header.charAt(j);
                    if (c == '\\' && j + 1 < header.length()) {
                        c = header.charAt(++j);
                    }
                    value.append(c);
                    j++;
                }
                int next = header.indexOf(';', j);
                i = next < 0 ? header.length() : next + 1;
            } else {
                int next = header.indexOf(';', j);
                int end = next < 0 ? header.length() : next;
                value.append(header, j, end);
                i = end + 1;
                params.putIfAbsent(name, value.toString().trim());
                continue;
            }
            params.putIfAbsent(name, value.toString());
        }
        return new MediaType(essence.substring(0, slash), essence.substring(slash + 1), params);
    }

    public String essence() {
        return type + "/" + subtype;
    }

    public boolean is(String typeSlashSubtype) {
        return essence().equals(typeSlashSubtype);
    }

    public String parameter(String name) {
        return parameters.get(name);
    }
}
