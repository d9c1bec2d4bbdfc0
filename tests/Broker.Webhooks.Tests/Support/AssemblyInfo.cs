// Kestrel servers, real timeouts and a manual clock polled by spinning: one test at a time keeps them predictable on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
