"""hotline.console"""
