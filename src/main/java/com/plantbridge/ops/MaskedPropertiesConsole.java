package com.plantbridge.ops;

import java.util.Locale;
import java.util.Map;

import org.apache.camel.impl.console.PropertiesDevConsole;
import org.apache.camel.util.SensitiveUtils;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * Camel's "properties" dev console with secrets masked. Camel 4.17's console masks sensitive keys in
 * its text output but not in its JSON, and the camel CLI connector writes that JSON to
 * ~/.camel/&lt;pid&gt;-status.json (measured: bridge.admin.token and bridge.management.password in clear;
 * CliConnectorTest). Every key ending in token, secret or password, and every key Camel calls
 * sensitive, shows {@value #MASK}.
 */
public final class MaskedPropertiesConsole extends PropertiesDevConsole {

    static final String MASK = "xxxxxx";

    @Override
    protected JsonObject doCallJson(Map<String, Object> options) {
        JsonObject root = super.doCallJson(options);
        Object properties = root.get("properties");
        if (properties instanceof JsonArray array) {
            for (Object entry : array) {
                if (entry instanceof JsonObject property && isSecret(String.valueOf(property.get("key")))) {
                    for (String field : new String[] {"value", "originalValue", "defaultValue"}) {
                        if (property.get(field) != null) {
                            property.put(field, MASK);
                        }
                    }
                }
            }
        }
        return root;
    }

    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SensitiveUtils.containsSensitive(key) || lower.endsWith("token") || lower.endsWith("secret") || lower.endsWith("password");
    }
}
