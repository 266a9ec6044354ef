package com.plantbridge.sim.gateway;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedGatewayTest {

  private static final String SPEED = "[default]Line1/Speed";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  @Test
  void tagNamespaceIsLookedUpByUriAndIsNotIndexTwo() throws Exception {
    SimulatedGateway gateway = start(SimulatedGateway.builder());
    gateway.addTag(SPEED, 12.5);
    gateway.addTag("[default]Line1/Count", 7);
    gateway.addTag("[default]Line1/Profile", new int[] {1, 2, 3});
    gateway.addTag("[default]Line1/Since", Instant.parse("2024-05-01T10:00:00Z"));

    assertThat(gateway.opcUaEndpoint()).matches("opc\\.tcp://127\\.0\\.0\\.1:\\d+");
    OpcUaClient client = connect(gateway.opcUaEndpoint());
    UShort index = client.readNamespaceTable().getIndex(SimulatedGateway.TAG_NAMESPACE_URI);

    assertThat(index).isNotNull();
    assertThat(index.intValue()).isNotEqualTo(2);
    assertThat(read(client, index, SPEED).value().getValue()).isEqualTo(12.5);
    assertThat(read(client, index, "[default]Line1/Count").value().getValue()).isEqualTo(7);
    assertThat((Integer[]) read(client, index, "[default]Line1/Profile").value().getValue()).containsExactly(1, 2, 3);
    assertThat((int[]) gateway.readTag("[default]Line1/Profile")).containsExactly(1, 2, 3);
    assertThat(read(client, index, SimulatedGateway.IS_ACTIVE_TAG).value().getValue()).isEqualTo(true);
    assertThat(gateway.readTag("[default]Line1/Since")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
  }

  @Test
  void everyWriteReachesAZeroSamplingIntervalSubscriptionAndTheItemIsCleanedUp() throws Exception {
    SimulatedGateway gateway = start(SimulatedGateway.builder());
    gateway.addTag(SPEED, 0.0);
    OpcUaClient client = connect(gateway.opcUaEndpoint());
    NodeId speed = tagNode(client, SPEED);

    var subscription = new OpcUaSubscription(client, 100.0);
    subscription.create();
    List<DataValue> received = new CopyOnWriteArrayList<>();
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(speed);
    item.setSamplingInterval(0.0);
    item.setQueueSize(uint(10));
    item.setDataValueListener((i, value) -> received.add(value));
    subscription.addMonitoredItem(item);
    subscription.synchronizeMonitoredItems();

    assertThat(item.getRevisedSamplingInterval()).contains(0.0);
    assertThat(item.getRevisedQueueSize()).contains(uint(10));
    await().atMost(WAIT).until(() -> received.size() == 1);
    await().atMost(WAIT).until(() -> gateway.monitoredItemCount() == 1);

    List<Instant> sourceTimes = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      Instant sourceTime = Instant.parse("2024-05-01T10:00:00Z").plusMillis(i * 137L);
      gateway.writeTag(SPEED, i * 1.5, StatusCodes.Good, sourceTime);
      sourceTimes.add(sourceTime);
      Thread.sleep(50); // pacing the writes, not asserting anything
    }

    await().atMost(WAIT).until(() -> received.size() == 6);
    assertThat(received.subList(1, 6)).extracting(v -> v.sourceTime().getJavaInstant())
        .containsExactlyElementsOf(sourceTimes);
    assertThat(received.subList(1, 6)).extracting(v -> v.value().getValue())
        .containsExactly(1.5, 3.0, 4.5, 6.0, 7.5);
    assertThat(gateway.changes()).extracting(TagChange::sourceTime).containsExactlyElementsOf(sourceTimes);

    subscription.removeMonitoredItem(item);
    subscription.synchronizeMonitoredItems();
    await().atMost(WAIT).until(() -> gateway.monitoredItemCount() == 0);
  }

  @Test
  void positiveSamplingIntervalIsHonouredBySdkSampling() throws Exception {
    SimulatedGateway gateway = start(SimulatedGateway.builder().httpPort(-1));
    gateway.addTag(SPEED, 0.0);
    OpcUaClient client = connect(gateway.opcUaEndpoint());
    var subscription = new OpcUaSubscription(client, 50.0);
    subscription.create();
    List<DataValue> received = new CopyOnWriteArrayList<>();
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(tagNode(client, SPEED));
    item.setSamplingInterval(250.0);
    item.setQueueSize(uint(3));
    item.setDataValueListener((i, value) -> received.add(value));
    subscription.addMonitoredItem(item);
    subscription.synchronizeMonitoredItems();

    assertThat(item.getRevisedSamplingInterval()).contains(250.0);
    assertThat(item.getRevisedQueueSize()).contains(uint(3));
    await().atMost(WAIT).until(() -> received.size() == 1);
    for (int i = 1; i <= 5; i++) {
      gateway.writeTag(SPEED, (double) i); // faster than one sample: the sampler sees only some of them
    }
    await().atMost(WAIT).until(() -> Double.valueOf(5.0).equals(received.get(received.size() - 1).value().getValue()));
    assertThat(received.size()).isLessThan(6);
  }

  @Test
  void badQualityWritesArriveWithTheirStatus() throws Exception {
    SimulatedGateway gateway = start(SimulatedGateway.builder());
    gateway.addTag(SPEED, 1.0);
    OpcUaClient client = connect(gateway.opcUaEndpoint());
    List<DataValue> received = subscribe(client, tagNode(client, SPEED), null);
    await().atMost(WAIT).until(() -> received.size() == 1);

    Instant when = Instant.parse("2024-05-01T11:00:00Z");
    gateway.writeTag(SPEED, null, StatusCodes.Bad_CommunicationError, when);

    await().atMost(WAIT).until(() -> received.size() == 2);
    assertThat(received.get(1).statusCode().value()).isEqualTo(StatusCodes.Bad_CommunicationError);
    assertThat(received.get(1).sourceTime().getJavaInstant()).isEqualTo(when);
    assertThat(gateway.changes()).singleElement()
        .satisfies(c -> assertThat(c.statusCode()).isEqualTo(StatusCodes.Bad_CommunicationError));
  }

  @Test
  void absoluteDeadbandIsAppliedByTheServer() throws Exception {
    SimulatedGateway gateway = start(SimulatedGateway.builder());
    gateway.addTag(SPEED, 10.0);
    OpcUaClient client = connect(gateway.opcUaEndpoint());
    var deadband = new DataChangeFilter(DataChangeTrigger.StatusValue, uint(DeadbandType.Absolute.getValue()), 1.0);
    List<DataValue> received = subscribe(client, tagNode(client, SPEED), deadband);
    await().atMost(WAIT).until(() -> received.size() == 1);

    gateway.writeTag(SPEED, 10.5);
    gateway.writeTag(SPEED, 10.9);
    gateway.writeTag(SPEED, 12.0);

    await().atMost(WAIT).until(() -> received.size() >= 2);
    assertThat(received).extracting(v -> v.value().getValue()).containsExactly(10.0, 12.0);
  }

  @Test
  void gwinfoFollowsRedundancyAndFailureModes() throws Exception {
    SimulatedGateway gateway = start(SimulatedGateway.builder().role("Master").activityLevel("Active"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    HttpResponse<String> before = gwinfo(http, gateway);
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(before.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(before.body()).isEqualTo("ContextStatus=RUNNING;Version=8.1.43;RedundancyStatus=Master;"
        + "RedundantState=Good;RedundantNodeActiveStatus=Active;");

    gateway.setRedundancy("Master", "Cold");
    assertThat(gwinfo(http, gateway).body()).contains("RedundancyStatus=Master;").contains("RedundantNodeActiveStatus=Cold;");
    assertThat(gateway.readTag(SimulatedGateway.ACTIVITY_LEVEL_TAG)).isEqualTo("Cold");
    assertThat(gateway.readTag(SimulatedGateway.IS_ACTIVE_TAG)).isEqualTo(false);
    assertThat(gateway.readTag(SimulatedGateway.IS_MASTER_TAG)).isEqualTo(true);

    gateway.setGwinfoMode(GwinfoMode.HTTP_500);
    assertThat(gwinfo(http, gateway).statusCode()).isEqualTo(500);
    gateway.setGwinfoMode(GwinfoMode.GARBAGE);
    HttpResponse<String> garbage = gwinfo(http, gateway);
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThat(garbage.body()).doesNotContain("=");
    gateway.setGwinfoMode(GwinfoMode.DOWN);
    assertThatThrownBy(() -> gwinfo(http, gateway)).isInstanceOf(ConnectException.class);
    gateway.setGwinfoMode(GwinfoMode.NORMAL);
    assertThat(gwinfo(http, gateway).body()).contains("RedundantNodeActiveStatus=Cold;");
  }

  @Test
  void opcUaRestartsOnTheSamePortWithCurrentValues() throws Exception {
    SimulatedGateway gateway = start(SimulatedGateway.builder());
    gateway.addTag(SPEED, 1.0);
    OpcUaClient first = connect(gateway.opcUaEndpoint());
    NodeId speed = tagNode(first, SPEED);

    gateway.stopOpcUa();
    assertThatThrownBy(() -> connect(gateway.opcUaEndpoint())).isInstanceOf(UaException.class);
    gateway.writeTag(SPEED, 42.0);
    gateway.startOpcUa();

    OpcUaClient second = connect(gateway.opcUaEndpoint());
    assertThat(read(second, speed).value().getValue()).isEqualTo(42.0);
    // The old session died with the server; Milo's client reconnects on its own.
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> Double.valueOf(42.0).equals(read(first, speed).value().getValue()));
  }

  @Test
  void configuredUserIsRequiredAndAnonymousIsRefused() throws Exception {
    SimulatedGateway gateway = start(SimulatedGateway.builder().user("operator", "s3cret").httpPort(-1));
    gateway.addTag(SPEED, 3.0);

    assertThatThrownBy(() -> connect(gateway.opcUaEndpoint(), new AnonymousProvider()))
        .isInstanceOf(UaException.class);
    assertThatThrownBy(() -> connect(gateway.opcUaEndpoint(), new UsernameProvider("operator", "wrong")))
        .isInstanceOf(UaException.class);

    OpcUaClient client = connect(gateway.opcUaEndpoint(), new UsernameProvider("operator", "s3cret"));
    assertThat(read(client, tagNode(client, SPEED)).value().getValue()).isEqualTo(3.0);
  }

  @Test
  void basic256Sha256EndpointAcceptsAnyClientCertificate(@TempDir Path pki) throws Exception {
    SimulatedGateway gateway = start(SimulatedGateway.builder().basic256Sha256(true).pkiDir(pki));
    gateway.addTag(SPEED, 5.0);
    assertThat(pki.resolve("server-cert.der")).exists();

    KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
        .setCommonName("test client").setApplicationUri("urn:plantbridge:test:client").build();
    OpcUaClient client = OpcUaClient.create(gateway.opcUaEndpoint(),
        endpoints -> endpoints.stream()
            .filter(e -> SecurityPolicy.Basic256Sha256.getUri().equals(e.getSecurityPolicyUri()))
            .filter(e -> e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
            .findFirst(),
        transport -> {},
        config -> config.setApplicationUri("urn:plantbridge:test:client")
            .setKeyPair(keyPair).setCertificate(certificate)
            .setCertificateChain(new X509Certificate[] {certificate})
            .setCertificateValidator(new CertificateValidator.InsecureCertificateValidator()));
    client.connect();
    cleanup.add(client::disconnect);

    assertThat(read(client, tagNode(client, SPEED)).value().getValue()).isEqualTo(5.0);
  }

  @Test
  void pairFailsOverAndBack() throws Exception {
    SimulatedGatewayPair pair = SimulatedGatewayPair.start(0, 0, 0, 0);
    cleanup.add(pair);
    assertThat(pair.master().redundancy()).isEqualTo(new RedundancyState("Master", "Active"));
    assertThat(pair.backup().redundancy()).isEqualTo(new RedundancyState("Backup", "Cold"));

    pair.failover();
    assertThat(pair.master().readTag(SimulatedGateway.ACTIVITY_LEVEL_TAG)).isEqualTo("Cold");
    assertThat(pair.backup().readTag(SimulatedGateway.IS_ACTIVE_TAG)).isEqualTo(true);
    assertThat(pair.redundancy()).containsExactly(
        entry("master gateway", "Master / Cold"), entry("backup gateway", "Backup / Active"));

    pair.failback();
    assertThat(pair.master().redundancy().isActive()).isTrue();
    assertThat(pair.backup().redundancy().activityLevel()).isEqualTo("Cold");
    assertThat(pair.redundancy()).containsExactly(
        entry("master gateway", "Master / Active"), entry("backup gateway", "Backup / Cold"));
  }

  @Test
  void demoTagsChange() {
    SimulatedGateway gateway = start(SimulatedGateway.builder().httpPort(-1));
    gateway.startDemoChanges(Duration.ofMillis(20));

    await().atMost(WAIT).until(() -> ((Integer) gateway.readTag(DemoTagDriver.COUNTER)) >= 3);
    assertThat(gateway.readTag(DemoTagDriver.TEMPERATURE)).isInstanceOf(Float.class);
    assertThat(gateway.changes()).isNotEmpty();
  }

  private SimulatedGateway start(SimulatedGateway.Builder builder) {
    SimulatedGateway gateway = builder.start();
    cleanup.add(gateway);
    return gateway;
  }

  private OpcUaClient connect(String endpoint) throws UaException {
    OpcUaClient client = OpcUaClient.create(endpoint);
    client.connect();
    cleanup.add(client::disconnect);
    return client;
  }

  /** Takes the None endpoint whatever its token policies say, so the server is the one deciding. */
  private OpcUaClient connect(String endpoint, IdentityProvider identity) throws UaException {
    OpcUaClient client = OpcUaClient.create(endpoint,
        endpoints -> endpoints.stream()
            .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
            .findFirst(),
        transport -> {},
        config -> config.setIdentityProvider(identity));
    try {
      client.connect();
    } catch (UaException e) {
      client.disconnect();
      throw e;
    }
    cleanup.add(client::disconnect);
    return client;
  }

  private static NodeId tagNode(OpcUaClient client, String path) throws UaException {
    return new NodeId(client.readNamespaceTable().getIndex(SimulatedGateway.TAG_NAMESPACE_URI), path);
  }

  private static DataValue read(OpcUaClient client, UShort index, String path) throws UaException {
    return read(client, new NodeId(index, path));
  }

  private static DataValue read(OpcUaClient client, NodeId nodeId) throws UaException {
    return client.readValue(0.0, TimestampsToReturn.Both, nodeId);
  }

  private static List<DataValue> subscribe(OpcUaClient client, NodeId nodeId, DataChangeFilter filter)
      throws Exception {
    var subscription = new OpcUaSubscription(client, 50.0);
    subscription.create();
    List<DataValue> received = new CopyOnWriteArrayList<>();
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(nodeId);
    item.setSamplingInterval(0.0);
    item.setQueueSize(uint(10));
    item.setFilter(filter);
    item.setDataValueListener((i, value) -> received.add(value));
    subscription.addMonitoredItem(item);
    subscription.synchronizeMonitoredItems();
    assertThat(item.getCreateResult()).hasValueSatisfying(s -> assertThat(s.isGood()).isTrue());
    return received;
  }

  private static HttpResponse<String> gwinfo(HttpClient http, SimulatedGateway gateway) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.gatewayUrl() + "/system/gwinfo"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
