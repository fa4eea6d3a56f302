using KubeTriage.Wire;

namespace KubeTriage.Tests.Wire;

public class SearchPathTests
{
    [Theory]
    [InlineData("example-api.com.default.svc.cluster.local", "example-api.com")]
    [InlineData("example-api.com.svc.cluster.local", "example-api.com")]
    [InlineData("example-api.com.cluster.local", "example-api.com")]
    [InlineData("registry.yingmi-inc.com.monitor.svc.cluster.local", "registry.yingmi-inc.com")]
    [InlineData("example-api.com.ec2.internal", "example-api.com")]
    [InlineData("mysql.default.svc.cluster.local", "mysql.default.svc.cluster.local")]
    [InlineData("10-0-0-1.default.pod.cluster.local", "10-0-0-1.default.pod.cluster.local")]
    [InlineData("nothing.example.com", "nothing.example.com")]
    public void TheBaseIsTheNameTheAppAskedFor(string name, string expected)
    {
        // Given
        var queried = new HashSet<string>(StringComparer.Ordinal) { "example-api.com", name };

        // When
        var actual = SearchPath.BaseOf(name, queried);

        // Then
        Assert.Equal(expected, actual);
        Assert.Equal(expected != name, SearchPath.IsExpansion(name, queried));
    }

    [Fact]
    public void WithoutTheBareNameTheKubernetesSuffixesStillTell()
    {
        // Given
        var queried = new HashSet<string>(StringComparer.Ordinal);

        // When
        var actual = SearchPath.BaseOf("oss.example.com.default.svc.cluster.local", queried);

        // Then
        Assert.Equal("oss.example.com", actual);
    }
}
