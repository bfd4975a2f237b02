// The CLI's command table written with picocli, for cli-startup.sh: same commands, perf with the same options.
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.util.concurrent.Callable;

@Command(name = "mptcp4j", mixinStandardHelpOptions = true, version = "dev",
        subcommands = {PicoMain.Demo.class, PicoMain.Perf.class, PicoMain.Cat.class, PicoMain.Proxy.class, PicoMain.IfStat.class,
                PicoMain.Limits.class, PicoMain.Endpoint.class, PicoMain.Monitor.class, PicoMain.Watch.class, PicoMain.Status.class,
                PicoMain.Run.class, PicoMain.Attach.class})
public class PicoMain implements Callable<Integer> {
    public Integer call() { return 0; }
    public static void main(String[] a) { System.exit(new CommandLine(new PicoMain()).execute(a)); }

    @Command(name = "demo", mixinStandardHelpOptions = true) static class Demo implements Callable<Integer> {
        @Option(names = "--paths") int paths = 3; @Option(names = "--rate") double rate = 100; @Option(names = "-t") double t = 5;
        public Integer call() { return 0; } }
    @Command(name = "perf", mixinStandardHelpOptions = true, description = "bandwidth test speaking iperf3's protocol") static class Perf implements Callable<Integer> {
        @Option(names = {"-s", "--server"}) boolean server; @Option(names = {"-c", "--client"}) String host;
        @Option(names = {"-p", "--port"}) int port = 5201; @Option(names = {"-t", "--time"}) double time = 10;
        @Option(names = {"-i", "--interval"}) double interval = 1; @Option(names = {"-1", "--one-off"}) boolean once;
        @Option(names = "--tcp") boolean tcp; @Option(names = "--subflows") boolean subflows;
        @Option(names = {"-P", "--parallel"}) int parallel = 1; @Option(names = {"-R", "--reverse"}) boolean reverse;
        @Option(names = {"-J", "--json"}) boolean json; @Option(names = {"-O", "--omit"}) int omit;
        public Integer call() { return 0; } }
    @Command(name = "cat", mixinStandardHelpOptions = true) static class Cat implements Callable<Integer> {
        @Option(names = "--tcp") boolean tcp; @Option(names = "-l") boolean listen; @Option(names = "-k") boolean keep;
        @Parameters String[] rest; public Integer call() { return 0; } }
    @Command(name = "proxy", mixinStandardHelpOptions = true) static class Proxy implements Callable<Integer> {
        @Parameters(index = "0") String kind; @Option(names = "--listen") int listen; @Option(names = "--to") String to;
        public Integer call() { return 0; } }
    @Command(name = "ifstat", mixinStandardHelpOptions = true) static class IfStat implements Callable<Integer> {
        @Option(names = "-t") double t = 1; @Option(names = "-n") int n; @Option(names = "--subflows") boolean sf;
        public Integer call() { return 0; } }
    @Command(name = "limits", mixinStandardHelpOptions = true) static class Limits implements Callable<Integer> {
        @Parameters String[] rest; public Integer call() { return 0; } }
    @Command(name = "endpoint", mixinStandardHelpOptions = true) static class Endpoint implements Callable<Integer> {
        @Parameters String[] rest; public Integer call() { return 0; } }
    @Command(name = "monitor", mixinStandardHelpOptions = true) static class Monitor implements Callable<Integer> {
        @Option(names = "-n") int n; public Integer call() { return 0; } }
    @Command(name = "watch", mixinStandardHelpOptions = true) static class Watch implements Callable<Integer> {
        public Integer call() { return 0; } }
    @Command(name = "status", mixinStandardHelpOptions = true) static class Status implements Callable<Integer> {
        @Parameters(arity = "0..1") String pid; public Integer call() { return 0; } }
    @Command(name = "run", mixinStandardHelpOptions = true) static class Run implements Callable<Integer> {
        @Parameters String[] rest; public Integer call() { return 0; } }
    @Command(name = "attach", mixinStandardHelpOptions = true) static class Attach implements Callable<Integer> {
        @Parameters String[] rest; public Integer call() { return 0; } }
}
