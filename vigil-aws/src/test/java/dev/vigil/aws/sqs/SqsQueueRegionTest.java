package dev.vigil.aws.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;

/** The queue is in one region, the one its URL names; the daemon's --region (home or repeated) does not change it. */
class SqsQueueRegionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "https://sqs.eu-west-1.amazonaws.com/111122223333/vigil-events|eu-west-1",
        "https://sqs.us-gov-west-1.amazonaws.com/111122223333/q|us-gov-west-1",
        "https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q|cn-north-1",
        "https://sqs.ap-southeast-2.api.aws/111122223333/q|ap-southeast-2",
        "https://eu-central-1.queue.amazonaws.com/111122223333/q|eu-central-1",
        "http://sqs.us-east-2.amazonaws.com:80/111122223333/q|us-east-2",
        // a local endpoint (ElasticMQ, moto) names no region: the home region's client
        "http://localhost:9324/000000000000/vigil-events|-",
        "http://127.0.0.1:5000/123456789012/q|-",
        // look-alikes: a host that only contains the pattern, no path
        "https://sqs.eu-west-1.amazonaws.com.evil.example/111122223333/q|-",
        "https://sqs.eu-west-1.amazonaws.com|-",
        "not a url|-",
    })
    void theRegionIsTheOneTheUrlNames(String url, String region) {
        assertThat(SqsQueue.regionOf(url)).isEqualTo(Optional.ofNullable(region).map(Region::of));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://sqs.us-east-1.amazonaws.com/111122223333/q|eu-west-1|us-east-1",
        "http://localhost:9324/000000000000/q|eu-west-1|eu-west-1",
    })
    void theClientIsMadeForTheQueuesRegionElseTheHomeRegion(String url, String home, String client) {
        assertThat(new SqsQueue(url, Region.of(home), null, null, 0).clientRegion()).isEqualTo(Region.of(client));
    }
}
