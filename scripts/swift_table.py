"""Shared by the scripts that write a fact table as a Swift source file."""


def clean(text):
    """One line of text: tabs and runs of whitespace become single spaces."""
    return " ".join(str(text).replace("\t", " ").split())


def print_table(type_name, version, lines):
    """Prints `extension TYPE { bundledVersion, bundledTable }`, the table a multi-line string."""
    print("extension %s {" % type_name)
    print('    static let bundledVersion = "%s"' % version)
    print('    static let bundledTable = """')
    for line in lines:
        print(line.replace("\\", "\\\\").replace('"""', '\\"""'))
    print('"""')
    print("}")
