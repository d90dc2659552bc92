using System.Diagnostics;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>
    /// Network namespaces for multi-node tests: one bridge namespace and N node namespaces, each with
    /// eth0 on 10.78.S.(i+1)/24 (S from the process id, so parallel runs do not collide). Names start
    /// with <c>aesy</c>. Everything (processes, namespaces) is removed on Dispose, even after failures.
    /// </summary>
    internal sealed class NetnsLab : IDisposable
    {
        private readonly NetnsNodes _nodes = new();
        private readonly string _tag;

        public NetnsLab(int nodes)
        {
            int pid = Environment.ProcessId;
            _tag = "aesy" + (pid % 100000);
            Subnet = pid % 200 + 20;
            Bridge = _tag + "b";
            _nodes.Add(Bridge);
            NetnsNodes.Check("ip", "-n", Bridge, "link", "add", "br0", "type", "bridge");
            NetnsNodes.Check("ip", "-n", Bridge, "link", "set", "br0", "up");
            for (int i = 0; i < nodes; i++)
            {
                string ns = Node(i);
                _nodes.Add(ns);
                NetnsNodes.Check("ip", "-n", Bridge, "link", "add", "v" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
                NetnsNodes.Check("ip", "-n", Bridge, "link", "set", "v" + i, "master", "br0");
                NetnsNodes.Check("ip", "-n", Bridge, "link", "set", "v" + i, "up");
                NetnsNodes.Check("ip", "-n", ns, "addr", "add", Address(i) + "/24", "dev", "eth0");
                NetnsNodes.Check("ip", "-n", ns, "link", "set", "eth0", "up");
            }
        }

        public int Subnet { get; }

        public string Bridge { get; }

        public static bool IsRoot => Environment.UserName == "root" || geteuid() == 0;

        public string Node(int i) => _tag + "n" + i;

        public string Address(int i) => "10.78." + Subnet + "." + (i + 1);

        /// <summary>Starts <c>dotnet aether.dll ARGS</c> inside node <paramref name="i"/>, output to <paramref name="log"/>.</summary>
        public Process StartAether(int i, string log, params string[] args) => _nodes.StartAether(Node(i), log, args);

        /// <summary>Runs aether in node <paramref name="i"/> to completion (bounded); returns exit code and output.</summary>
        public (int Code, string Output) RunAether(int i, TimeSpan timeout, params string[] args) => NetnsNodes.RunAether(Node(i), timeout, args);

        /// <summary>Runs any program inside node <paramref name="i"/> (bounded).</summary>
        public (int Code, string Output) Exec(int i, TimeSpan timeout, params string[] command) => NetnsNodes.Exec(Node(i), timeout, command);

        public void Kill(Process p) => NetnsNodes.Kill(p);

        public void Dispose() => _nodes.Dispose();

        [System.Runtime.InteropServices.DllImport("libc")]
        private static extern uint geteuid();
    }
}
