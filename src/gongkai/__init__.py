def hello() -> str:
    return "Hello from gongkai!"
