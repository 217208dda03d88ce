pytest_plugins = [
    "tests.services",
    "tests.fixtures",
    "tests.admin_fixtures",
    "tests.model_fixtures",
    "tests.generator_fixtures",
    "tests.drawing_factory",
]
