"""Quality tools: evaluation against gold, benchmarks, the synthetic corpus, checks of published output."""
