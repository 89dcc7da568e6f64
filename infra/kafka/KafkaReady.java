import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Exits 0 once the broker at args[0] answers a metadata request (DescribeCluster) and reports
 * a controller, 1 otherwise. An open TCP port alone is not enough: the KRaft broker accepts
 * connections before it has caught up with the metadata log.
 */
public final class KafkaReady {
  public static void main(String[] args) {
    String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
    int timeoutMs = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    try (Admin admin = Admin.create(props)) {
      var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs));
      int nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
      var controller = cluster.controller().get(timeoutMs, TimeUnit.MILLISECONDS);
      if (nodes > 0 && controller != null && !controller.isEmpty()) {
        System.out.println("ready: " + nodes + " broker(s), cluster " + cluster.clusterId().get());
        System.exit(0);
      }
      System.err.println("not ready: no broker or controller in metadata");
    } catch (Exception e) {
      System.err.println("not ready: " + e);
    }
    System.exit(1);
  }
}
