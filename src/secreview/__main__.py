from secreview.cli import main

main()
