package com.plantbridge.hawtio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/**
 * Hawtio 4 as an operator runs it beside the nodes: its web application ({@code io.hawt:hawtio-war}) in an
 * embedded Tomcat on loopback. Measured: the Maven registry this project builds from serves the Hawtio 4 war
 * (4.0.0 to 4.2.0) but no Hawtio 4 {@code hawtio-app} launcher jar (its newest is 2.17.7), and no Jetty 11 that the
 * war's own launcher uses; the war (Servlet 5) runs unchanged on Tomcat 11.
 */
final class HawtioConsole implements AutoCloseable {

    /** Tomcat logs through java.util.logging; its INFO lines (one per start step) would bury the check's own. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    private final Tomcat tomcat;
    private final int port;

    private HawtioConsole(Tomcat tomcat, int port) {
        this.tomcat = tomcat;
        this.port = port;
    }

    static HawtioConsole start(Path war, int port) throws IOException, LifecycleException {
        TOMCAT_LOG.setLevel(Level.WARNING);
        // The console itself asks no login (it listens on loopback); each node's Jolokia asks its own user.
        System.setProperty("hawtio.authenticationEnabled", "false");
        // Hawtio's proxy forwards the browser's Jolokia requests to these hosts only.
        System.setProperty("hawtio.proxyAllowlist", "localhost,127.0.0.1");
        Path base = Files.createTempDirectory("hawtio-tomcat");
        Files.createDirectories(base.resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        // Tomcat's default web.xml maps a JSP servlet (Jasper is not here, Hawtio has no JSP); only its static
        // file servlet is needed.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context hawtio = tomcat.addWebapp("/hawtio", war.toAbsolutePath().toString());
        // Leak detection at stop needs --add-opens and only warns; the JVM ends right after.
        ((StandardContext) hawtio).setClearReferencesThreadLocals(false);
        ((StandardContext) hawtio).setClearReferencesRmiTargets(false);
        Wrapper files = Tomcat.addServlet(hawtio, "default", "org.apache.catalina.servlets.DefaultServlet");
        files.setLoadOnStartup(1);
        hawtio.addServletMappingDecoded("/", "default");
        Tomcat.addDefaultMimeTypeMappings(hawtio);
        hawtio.addWelcomeFile("index.html");
        tomcat.start();
        return new HawtioConsole(tomcat, port);
    }

    String url() {
        return "http://localhost:" + port + "/hawtio/";
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
