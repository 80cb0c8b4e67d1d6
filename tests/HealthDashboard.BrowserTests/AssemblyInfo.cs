// Each collection starts a server and a browser; on two cores they run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
