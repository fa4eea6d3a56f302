using KubeTriage.Bundle;

namespace KubeTriage.Tests.Bundle;

public sealed class KubectlJsonReaderTests
{
    [Fact]
    public void ReadsAMixedListByKindAndApiVersion()
    {
        // Given
        const string json = """
            {"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[
              {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"kube-system"},"status":{"containerStatuses":[{"name":"c","ready":false,"restartCount":3,"image":"i","imageID":"","lastState":{}}]}},
              {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"coredns","namespace":"kube-system"},"spec":{"selector":{},"template":{}},"status":{"replicas":1}},
              {"apiVersion":"v1","kind":"Event","metadata":{"name":"e","namespace":"kube-system"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"BackOff","count":4},
              {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e2","namespace":"kube-system"},"eventTime":"2026-11-28T09:00:00.000000Z","regarding":{"kind":"Pod","name":"p"},"reason":"Unhealthy","note":"n","series":{"count":9,"lastObservedTime":"2026-11-28T09:05:00.000000Z"}},
              {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}},
              {"apiVersion":"v1","kind":"Node","metadata":{"name":"worker-1"}}
            ]}
            """;

        // When
        var objects = KubectlJsonReader.Read(json, "resources.json");

        // Then
        Assert.Empty(objects.Problems);
        Assert.Equal(3, Assert.Single(objects.Pods).Status.ContainerStatuses[0].RestartCount);
        Assert.Null(Assert.Single(objects.Deployments).Status.ReadyReplicas);
        Assert.Equal(4, Assert.Single(objects.CoreEvents).Count);
        Assert.Equal(9, Assert.Single(objects.EventsV1).Series.Count);
        Assert.Equal("worker-1", Assert.Single(objects.Nodes).Metadata.Name);
        Assert.Equal(1, objects.Skipped["Secret"]);
    }

    [Fact]
    public void ReadsASingleObject()
    {
        // Given
        const string json = """{"apiVersion":"v1","kind":"Service","metadata":{"name":"kube-dns","namespace":"kube-system"},"spec":{"clusterIP":"10.96.0.10"}}""";

        // When
        var objects = KubectlJsonReader.Read(json, "svc.json");

        // Then
        Assert.Equal("10.96.0.10", Assert.Single(objects.Services).Spec.ClusterIP);
    }

    [Fact]
    public void KeepsTheGoodItemsWhenOneIsBroken()
    {
        // Given: restartCount must be a number
        const string json = """
            {"kind":"List","items":[
              {"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad"},"status":{"containerStatuses":[{"name":"c","restartCount":"many"}]}},
              {"apiVersion":"v1","kind":"Pod","metadata":{"name":"good"}},
              42
            ]}
            """;

        // When
        var objects = KubectlJsonReader.Read(json, "resources.json");

        // Then
        Assert.Equal("good", Assert.Single(objects.Pods).Metadata.Name);
        Assert.Equal(2, objects.Problems.Count);
        Assert.StartsWith("resources.json item 0 (Pod bad): cannot read: ", objects.Problems[0], StringComparison.Ordinal);
        Assert.Equal("resources.json item 2: not an object", objects.Problems[1]);
    }

    [Theory]
    [InlineData("{\"kind\":\"List\",\"items\":[", "resources.json: not valid JSON")]
    [InlineData("", "resources.json: not valid JSON")]
    [InlineData("[1,2]", "resources.json: expected a kubectl JSON object or List, found Array")]
    public void RefusesWhatIsNotKubectlJsonWithOneLine(string json, string start)
    {
        // Given / When
        var error = Assert.Throws<BundleException>(() => KubectlJsonReader.Read(json, "resources.json"));

        // Then
        Assert.StartsWith(start, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
