namespace AetherEdge.Core.Allocation
{
    /// <summary>A node's placement score broken into the seed's four factors.</summary>
    public sealed class NodeScore
    {
        /// <summary>Creates a score from its parts.</summary>
        public NodeScore(double capacity, double availability, double battery, double network)
        {
            Capacity = capacity;
            Availability = availability;
            Battery = battery;
            Network = network;
        }

        /// <summary>Storage capacity, 0..40.</summary>
        public double Capacity { get; }

        /// <summary>Availability (always-on vs intermittent), 0..30.</summary>
        public double Availability { get; }

        /// <summary>Battery state, 0..20.</summary>
        public double Battery { get; }

        /// <summary>Network connectivity, 0..10.</summary>
        public double Network { get; }

        /// <summary>Sum of the four factors, 0..100.</summary>
        public double Total
        {
            get { return Capacity + Availability + Battery + Network; }
        }
    }
}
