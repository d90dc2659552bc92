using System.Diagnostics;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// Three network namespaces in a chain, A – B – C: A's eth0 and B's eth0 share one veth link
    /// (10.77.S.0/24: A .1, B .2), B's eth1 and C's eth0 another (10.76.S.0/24: B .1, C .2). B does not
    /// forward IP, and A and C have no route to each other's subnet, so A and C can only meet through B's
    /// mesh. Names start with <c>aemc</c> plus the process id; everything is removed on Dispose.
    /// </summary>
    internal sealed class NetnsChainLab : IDisposable
    {
        private readonly NetnsNodes _nodes = new();
        private readonly string _tag;

        public NetnsChainLab()
        {
            int pid = Environment.ProcessId;
            _tag = "aemc" + (pid % 100000);
            Subnet = pid % 200 + 20;
            for (int i = 0; i < 3; i++)
            {
                _nodes.Add(Node(i));
            }

            NetnsNodes.Check("ip", "-n", Node(0), "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", Node(1));
            NetnsNodes.Check("ip", "-n", Node(1), "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", Node(2));
            Address(0, "eth0", LinkA(0));
            Address(1, "eth0", LinkA(1));
            Address(1, "eth1", LinkB(1));
            Address(2, "eth0", LinkB(2));
            NetnsNodes.Check("ip", "netns", "exec", Node(1), "sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
        }

        public int Subnet { get; }

        public string Node(int i) => _tag + "n" + i;

        /// <summary>Address on the A–B link: node 0 (A) or 1 (B).</summary>
        public string LinkA(int i) => "10.77." + Subnet + "." + (i + 1);

        /// <summary>Address on the B–C link: node 1 (B) or 2 (C).</summary>
        public string LinkB(int i) => "10.76." + Subnet + "." + i;

        public Process StartAether(int i, string log, params string[] args) => _nodes.StartAether(Node(i), log, args);

        public (int Code, string Output) RunAether(int i, TimeSpan timeout, params string[] args) => NetnsNodes.RunAether(Node(i), timeout, args);

        public (int Code, string Output) Exec(int i, TimeSpan timeout, params string[] command) => NetnsNodes.Exec(Node(i), timeout, command);

        public void Dispose() => _nodes.Dispose();

        private void Address(int node, string dev, string address)
        {
            NetnsNodes.Check("ip", "-n", Node(node), "addr", "add", address + "/24", "dev", dev);
            NetnsNodes.Check("ip", "-n", Node(node), "link", "set", dev, "up");
        }
    }
}
