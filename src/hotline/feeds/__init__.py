"""hotline.feeds"""
