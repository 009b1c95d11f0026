"""A test-only app declaring stats blocks with the seed report's figures, so the report is
tested through the same registry (AppConfig.stats_blocks) the real factor apps use."""

from django.apps import AppConfig


class FakeBlocksConfig(AppConfig):
    name = "tests.report.fakeblocks"
    label = "fakeblocks"
    stats_blocks = {
        "land": "tests.report.fakeblocks.blocks.land",
        "housing": "tests.report.fakeblocks.blocks.housing",
        "fiscal": "tests.report.fakeblocks.blocks.fiscal",
        "funding": "tests.report.fakeblocks.blocks.funding",
        "risks": "tests.report.fakeblocks.blocks.risks",
        "problems": "tests.report.fakeblocks.blocks.problems",
    }
