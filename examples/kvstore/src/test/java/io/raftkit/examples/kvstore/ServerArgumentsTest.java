package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerArgumentsTest {

    private static final String PEERS = "n1=127.0.0.1:7001,n2=127.0.0.1:7002,n3=127.0.0.1:7003";

    private static List<String> contractLine() {
        return new ArrayList<>(List.of("--id", "n1", "--data-dir", "data/n1", "--raft", "127.0.0.1:7001",
                "--http", "127.0.0.1:8001", "--peers", PEERS));
    }

    private static List<String> with(String option, String value) {
        List<String> args = contractLine();
        int i = args.indexOf(option);
        args.set(i + 1, value);
        return args;
    }

    private static List<String> without(String option) {
        List<String> args = contractLine();
        int i = args.indexOf(option);
        args.remove(i + 1);
        args.remove(i);
        return args;
    }

    @Test
    void theContractCommandLineParses() throws UsageException {
        ServerArguments a = ServerArguments.parse(contractLine());
        assertThat(a.id()).isEqualTo("n1");
        assertThat(a.dataDir()).isEqualTo(Path.of("data/n1"));
        assertThat(a.raft()).isEqualTo(new HostPort("127.0.0.1", 7001));
        assertThat(a.http()).isEqualTo(new HostPort("127.0.0.1", 8001));
        assertThat(a.peers()).containsOnlyKeys("n1", "n2", "n3");
        assertThat(a.memberAddresses()).containsEntry("n3", "127.0.0.1:7003");
        assertThat(a.tickMillis()).isEqualTo(ServerArguments.DEFAULT_TICK_MILLIS);
        assertThat(a.requestTimeoutMillis()).isEqualTo(ServerArguments.DEFAULT_REQUEST_TIMEOUT_MILLIS);
        assertThat(a.snapshotEvery()).isEqualTo(ServerArguments.DEFAULT_SNAPSHOT_EVERY);
    }

    @Test
    void joinReplacesPeersAndTheClusterIdIsChecked() throws UsageException {
        List<String> join = without("--peers");
        join.addAll(List.of("--join", "--cluster-id", "orders"));
        ServerArguments a = ServerArguments.parse(join);
        assertThat(a.join()).isTrue();
        assertThat(a.clusterId()).isEqualTo("orders");
        assertThat(a.memberAddresses()).containsExactly(java.util.Map.entry("n1", "127.0.0.1:7001"));
        assertThat(ServerArguments.parse(contractLine()).clusterId()).isEqualTo(ServerArguments.DEFAULT_CLUSTER_ID);

        List<String> both = contractLine();
        both.add("--join");
        assertThatThrownBy(() -> ServerArguments.parse(both)).hasMessageContaining("not both");
        assertThatThrownBy(() -> ServerArguments.parse(without("--peers"))).hasMessageContaining("or --join");
        List<String> joinWithValue = without("--peers");
        joinWithValue.add("--join=yes");
        assertThatThrownBy(() -> ServerArguments.parse(joinWithValue)).hasMessage("option --join takes no value");
        List<String> badCluster = contractLine();
        badCluster.addAll(List.of("--cluster-id", "no spaces"));
        assertThatThrownBy(() -> ServerArguments.parse(badCluster)).hasMessageContaining("--cluster-id");
    }

    @Test
    void optionsMayComeInAnyOrderAndAsNameEqualsValue() throws UsageException {
        ServerArguments a = ServerArguments.parse(List.of("--peers=" + PEERS, "--http=127.0.0.1:8002", "--id=n2",
                "--raft", "127.0.0.1:7002", "--data-dir", "d", "--tick-ms", "20", "--request-timeout-ms", "900",
                "--snapshot-every", "50"));
        assertThat(a.id()).isEqualTo("n2");
        assertThat(a.tickMillis()).isEqualTo(20);
        assertThat(a.requestTimeoutMillis()).isEqualTo(900);
        assertThat(a.snapshotEvery()).isEqualTo(50);
    }

    @Test
    void ipv6AddressesInBrackets() throws UsageException {
        ServerArguments a = ServerArguments.parse(List.of("--id", "a", "--data-dir", "d", "--raft", "[::1]:7001",
                "--http", "[::1]:8001", "--peers", "a=[::1]:7001,b=[::1]:7002,c=[::1]:7003"));
        assertThat(a.raft().host()).isEqualTo("::1");
        assertThat(a.memberAddresses()).containsEntry("b", "[::1]:7002");
    }

    @Test
    void eachRequiredOptionIsNamedWhenMissing() {
        for (String option : List.of("--id", "--data-dir", "--raft", "--http", "--peers")) {
            assertThatThrownBy(() -> ServerArguments.parse(without(option))).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("missing required option " + option);
        }
    }

    @Test
    void unknownRepeatedAndValuelessOptionsAreErrors() {
        List<String> unknown = contractLine();
        unknown.addAll(List.of("--colour", "red"));
        assertThatThrownBy(() -> ServerArguments.parse(unknown)).hasMessage("unknown option --colour");
        List<String> twice = contractLine();
        twice.addAll(List.of("--id", "n2"));
        assertThatThrownBy(() -> ServerArguments.parse(twice)).hasMessage("option --id is given twice");
        List<String> valueless = contractLine();
        valueless.add("--tick-ms");
        assertThatThrownBy(() -> ServerArguments.parse(valueless)).hasMessage("option --tick-ms needs a value");
        List<String> stray = contractLine();
        stray.add("extra");
        assertThatThrownBy(() -> ServerArguments.parse(stray)).hasMessage("unexpected argument 'extra'");
    }

    @Test
    void theRaftAddressMustBeTheNodesOwnEntryInPeers() {
        assertThatThrownBy(() -> ServerArguments.parse(with("--raft", "127.0.0.1:7002")))
                .hasMessageContaining("--raft is 127.0.0.1:7002 but --peers gives n1=127.0.0.1:7001");
        assertThatThrownBy(() -> ServerArguments.parse(with("--id", "n9")))
                .hasMessageContaining("--peers must list this node's id n9");
    }

    @Test
    void badPeerListsAreExplained() {
        assertThatThrownBy(() -> ServerArguments.parse(with("--peers", "n1=127.0.0.1:7001,n1=127.0.0.1:7002")))
                .hasMessageContaining("lists n1 twice");
        assertThatThrownBy(() -> ServerArguments.parse(with("--peers", "n1=127.0.0.1:7001,n2=127.0.0.1:7001")))
                .hasMessageContaining("two members the address 127.0.0.1:7001");
        assertThatThrownBy(() -> ServerArguments.parse(with("--peers", "n1=127.0.0.1:7001,127.0.0.1:7002")))
                .hasMessageContaining("is not id=host:port");
        assertThatThrownBy(() -> ServerArguments.parse(with("--peers", "n1=127.0.0.1:7001,")))
                .hasMessageContaining("is not id=host:port");
        assertThatThrownBy(() -> ServerArguments.parse(with("--peers", "n1=127.0.0.1:7001,n2=host:99999")))
                .hasMessageContaining("not in 1..65535");
    }

    @Test
    void badAddressesAndNumbersAreExplained() {
        assertThatThrownBy(() -> ServerArguments.parse(with("--http", "localhost")))
                .hasMessageContaining("--http: 'localhost' is not host:port");
        assertThatThrownBy(() -> ServerArguments.parse(with("--http", "127.0.0.1:x")))
                .hasMessageContaining("port is not a number");
        assertThatThrownBy(() -> ServerArguments.parse(with("--http", "127.0.0.1:7003")))
                .hasMessageContaining("is also a Raft address");
        assertThatThrownBy(() -> ServerArguments.parse(with("--http", "::1:8001")))
                .hasMessageContaining("in brackets");
        List<String> badTick = contractLine();
        badTick.addAll(List.of("--tick-ms", "0"));
        assertThatThrownBy(() -> ServerArguments.parse(badTick)).hasMessageContaining("--tick-ms must be in 1..");
        List<String> shortTimeout = contractLine();
        shortTimeout.addAll(List.of("--tick-ms", "100", "--request-timeout-ms", "100"));
        assertThatThrownBy(() -> ServerArguments.parse(shortTimeout)).hasMessageContaining("must be longer than --tick-ms");
        assertThatThrownBy(() -> ServerArguments.parse(with("--id", "bad id!"))).hasMessageContaining("is not a node id");
        assertThatThrownBy(() -> ServerArguments.parse(with("--data-dir", " "))).hasMessageContaining("must not be empty");
    }
}
