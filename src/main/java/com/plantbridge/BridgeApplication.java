package com.plantbridge;

import org.apache.camel.main.Main;

import com.plantbridge.ops.AdminRoutes;

/** {@code java -jar}: runs the node from the working directory's config/ and routes/. */
public final class BridgeApplication {

    private BridgeApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(BridgeApplication.class);
        main.setPropertyPlaceholderLocations("classpath:bridge-defaults.properties,file:config/application.properties;optional=true");
        main.configure().addConfiguration(BridgeConfiguration.class);
        main.configure().addRoutesBuilder(new AdminRoutes());
        main.run(args);
    }
}
