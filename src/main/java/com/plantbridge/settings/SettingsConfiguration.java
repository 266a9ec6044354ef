package com.plantbridge.settings;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

import com.plantbridge.node.NodeProperties;

/** The module settings (config/maintainx.yaml) in force on this node. */
@Configuration
public class SettingsConfiguration implements CamelConfiguration {

    /** Read with this node's limits (bridge.max-connectors, bridge.max-tags-per-connector), as every later version is. */
    @BindToRegistry
    public ActiveSettings activeSettings(NodeProperties properties) {
        SettingsLimits limits = new SettingsLimits(properties.integer(SettingsLimits.MAX_CONNECTORS), properties.integer(SettingsLimits.MAX_TAGS_PER_CONNECTOR));
        return ActiveSettings.load(properties.path("bridge.module-config"), limits);
    }
}
